--[[
  queue_nack.lua: ends a lease that failed. The task is due again after the delay, or at once
  when it used its last delivery (what waits for it then is its dead letter). It stays pending
  in its stream's consumer group, where its delivery count is kept; its delivery time is set to
  say when it is due, and it waits in its group's "delayed" sorted set until the lease script
  claims it back into work (XAUTOCLAIM) in its turn.

  KEYS[1..15]  the queue-wide keys (queue_common.lua)
  ARGV[1]      key prefix "{prefix}:"
  ARGV[2]      now, ms ('' = the server's clock)
  ARGV[3]      the task kinds this caller knows, space-separated
  ARGV[4]      task id
  ARGV[5]      lease token
  ARGV[6]      '1': a dead letter's hand-over (its error stays the task's); '0': a task
  ARGV[7]      the error
  ARGV[8]      delay, ms
  ARGV[9]      max deliveries for work
  ARGV[10]     max leases one group may hold at once (0 = no cap)
  ARGV[11]     the caller's consumer name

  Returns 1, or 0 when the lease was lost.
]]
local id, token = ARGV[4], ARGV[5]
local due = now + tonumber(ARGV[8])
local cap = tonumber(ARGV[10])
if ARGV[6] == '1' then
  if rcall('HGET', KEYS[11], id) ~= token then
    return 0
  end
  rcall('HDEL', KEYS[11], id)
  rcall('ZADD', KEYS[10], int(due), id)
  feed(cap)
  return 1
end
if rcall('HGET', KEYS[4], id) ~= token then
  return 0
end
local kind, g = entry_of(id)
if kind == nil then
  return 0
end
local stream = stream_of(kind)
local pending = rcall('XPENDING', stream, GROUP, id, id, 1)
if #pending == 0 then
  return 0
end
if tonumber(pending[1][4]) >= tonumber(ARGV[9]) then
  due = now
end
local _, leased, delayed = group_keys(g)
rcall('XCLAIM', stream, GROUP, ARGV[11], 0, id, 'TIME', delivered_at(due), 'JUSTID')
rcall('HSET', KEYS[5], id, ARGV[7])
rcall('HDEL', KEYS[4], id)
rcall('ZREM', leased, id)
rcall('ZREM', KEYS[6], id)
rcall('ZADD', delayed, int(due), id)
feed(cap)
return 1
