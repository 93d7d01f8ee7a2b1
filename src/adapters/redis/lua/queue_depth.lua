--[[
  queue_depth.lua: the queue's sizes, read at one instant.

  KEYS[1..12]  the queue-wide keys (queue_common.lua)
  ARGV[1]      key prefix "{prefix}:"
  ARGV[2]      now, ms ('' = the server's clock)

  Returns {waiting, in flight, dead letters}: tasks not under a running lease (ready, nacked
  and due later, or whose lease ran out), tasks under one, and every dead letter kept.
]]
local in_flight = rcall('ZCOUNT', KEYS[6], '(' .. int(now), '+inf')
local total = tonumber(rcall('GET', KEYS[7]) or '0')
return {total - in_flight, in_flight, rcall('XLEN', KEYS[9])}
