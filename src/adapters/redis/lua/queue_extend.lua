--[[
  queue_extend.lua: moves a lease's end to now + its length. For a task, XCLAIM ... JUSTID on
  the same consumer also resets the entry's idle time in the pending-entries list without
  counting a delivery.

  KEYS[1..12]  the queue-wide keys (queue_common.lua)
  KEYS[13]     the task's group stream "{prefix}:stream:G"
  KEYS[14]     its leases "{prefix}:leased:G"
  ARGV[1]      key prefix "{prefix}:"
  ARGV[2]      now, ms ('' = the server's clock)
  ARGV[3]      task id
  ARGV[4]      lease token
  ARGV[5]      '1': a dead letter's hand-over; '0': a task
  ARGV[6]      lease length, ms

  Returns the new lease end (ms), or 0 when the lease was lost.
]]
local id, token = ARGV[3], ARGV[4]
local lease_end = int(now + tonumber(ARGV[6]))
if ARGV[5] == '1' then
  if rcall('HGET', KEYS[11], id) ~= token then
    return 0
  end
  rcall('ZADD', KEYS[10], lease_end, id)
  return lease_end
end
if rcall('HGET', KEYS[4], id) ~= token then
  return 0
end
if #rcall('XCLAIM', KEYS[13], GROUP, CONSUMER, 0, id, 'JUSTID') == 0 then
  return 0
end
rcall('ZADD', KEYS[14], lease_end, id)
rcall('ZADD', KEYS[6], lease_end, id)
return lease_end
