--[[
  queue_ack.lua: ends a lease for good: the task leaves the queue (XACK and XDEL in its kind's
  stream, and every index), or a dead letter's failure is recorded (its entry stays in the
  dead-letter stream, for inspection). Then feeds the next entry (a group under a cap may go on).

  KEYS[1..15]  the queue-wide keys (queue_common.lua)
  ARGV[1]      key prefix "{prefix}:"
  ARGV[2]      now, ms ('' = the server's clock)
  ARGV[3]      the task kinds this caller knows, space-separated
  ARGV[4]      task id
  ARGV[5]      lease token
  ARGV[6]      '1': a dead letter's hand-over; '0': a task
  ARGV[7]      the task's dedupe key ('' = none)
  ARGV[8]      max leases one group may hold at once (0 = no cap)

  Returns 1, or 0 when the lease was lost (another lease took the task, or it already ended).
]]
local id, token = ARGV[4], ARGV[5]
local cap = tonumber(ARGV[8])
if ARGV[6] == '1' then
  if rcall('HGET', KEYS[11], id) ~= token then
    return 0
  end
  rcall('ZREM', KEYS[10], id)
  rcall('HDEL', KEYS[11], id)
  rcall('HDEL', KEYS[12], id)
  feed(cap)
  return 1
end
if rcall('HGET', KEYS[4], id) ~= token then
  return 0
end
local kind, g, n = entry_of(id)
if kind == nil or #rcall('XPENDING', stream_of(kind), GROUP, id, id, 1) == 0 then
  return 0  -- not a pending entry: a delivery passed back changed
end
remove_task(kind, g, id, ARGV[7], n)
feed(cap)
return 1
