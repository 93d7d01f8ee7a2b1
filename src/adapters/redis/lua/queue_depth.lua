--[[
  queue_depth.lua: the queue's sizes, read at one instant.

  KEYS[1..15]  the queue-wide keys (queue_common.lua)
  ARGV[1]      key prefix "{prefix}:"
  ARGV[2]      now, ms ('' = the server's clock)
  ARGV[3]      the task kinds this caller knows, space-separated

  Returns {waiting, in flight, dead letters}: tasks not under a running lease (ready, nacked
  and due later, or whose lease ran out), tasks under one (or read, their lease beginning), and
  every dead letter kept.
]]
local in_flight = rcall('ZCOUNT', KEYS[6], '(' .. int(now), '+inf') + rcall('ZCARD', KEYS[14])
local total = tonumber(rcall('GET', KEYS[7]) or '0')
return {math.max(0, total - in_flight), in_flight, rcall('XLEN', KEYS[9])}
