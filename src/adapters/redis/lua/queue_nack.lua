--[[
  queue_nack.lua: ends a lease that failed. The task is due again after the delay, or at once
  when it used its last delivery (what waits for it then is its dead letter). It stays pending
  in its stream's consumer group, where its delivery count is kept, and waits in the group's
  "delayed" sorted set; the lease script claims it back into work when it is due.

  KEYS[1..12]  the queue-wide keys (queue_common.lua)
  KEYS[13]     the task's group stream "{prefix}:stream:G"
  KEYS[14]     its leases "{prefix}:leased:G"
  KEYS[15]     its nacked tasks "{prefix}:delayed:G"
  ARGV[1]      key prefix "{prefix}:"
  ARGV[2]      now, ms ('' = the server's clock)
  ARGV[3]      task id
  ARGV[4]      lease token
  ARGV[5]      '1': a dead letter's hand-over (its error stays the task's); '0': a task
  ARGV[6]      the error
  ARGV[7]      delay, ms
  ARGV[8]      max deliveries for work

  Returns 1, or 0 when the lease was lost.
]]
local id, token = ARGV[3], ARGV[4]
local due = now + tonumber(ARGV[7])
if ARGV[5] == '1' then
  if rcall('HGET', KEYS[11], id) ~= token then
    return 0
  end
  rcall('HDEL', KEYS[11], id)
  rcall('ZADD', KEYS[10], int(due), id)
  if due <= now then
    wake(1)
  end
  return 1
end
if rcall('HGET', KEYS[4], id) ~= token then
  return 0
end
local pending = rcall('XPENDING', KEYS[13], GROUP, id, id, 1)
if #pending == 0 then
  return 0
end
if tonumber(pending[1][4]) >= tonumber(ARGV[8]) then
  due = now
end
rcall('HSET', KEYS[5], id, ARGV[6])
rcall('HDEL', KEYS[4], id)
rcall('ZREM', KEYS[14], id)
rcall('ZREM', KEYS[6], id)
rcall('ZADD', KEYS[15], int(due), id)
if due <= now then
  wake(1)
end
return 1
