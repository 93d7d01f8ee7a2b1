--[[
  queue_ack.lua: ends a lease for good: the task leaves the queue, or a dead letter's failure
  is recorded (its entry stays in the dead-letter stream, for inspection).

  KEYS[1..12]  the queue-wide keys (queue_common.lua)
  KEYS[13]     the task's group stream "{prefix}:stream:G"
  KEYS[14]     its leases "{prefix}:leased:G"
  KEYS[15]     its nacked tasks "{prefix}:delayed:G"
  KEYS[16]     its dedupe key "{prefix}:dedupe:K"
  ARGV[1]      key prefix "{prefix}:"
  ARGV[2]      now, ms ('' = the server's clock)
  ARGV[3]      task id
  ARGV[4]      lease token
  ARGV[5]      '1': a dead letter's hand-over; '0': a task
  ARGV[6]      the task's group
  ARGV[7]      the task's dedupe key ('' = none)
  ARGV[8]      '1': wake a waiting lease (a group under a cap may go on)

  Returns 1, or 0 when the lease was lost (another lease took the task, or it already ended).
]]
local id, token = ARGV[3], ARGV[4]
if ARGV[5] == '1' then
  if rcall('HGET', KEYS[11], id) ~= token then
    return 0
  end
  rcall('ZREM', KEYS[10], id)
  rcall('HDEL', KEYS[11], id)
  rcall('HDEL', KEYS[12], id)
  return 1
end
if rcall('HGET', KEYS[4], id) ~= token then
  return 0
end
if #rcall('XPENDING', KEYS[13], GROUP, id, id, 1) == 0 then
  return 0  -- not a pending entry of this group: a delivery passed back changed
end
remove_task(ARGV[6], id, ARGV[7])
if ARGV[8] == '1' then
  wake(1)
end
return 1
