--[[
  queue_extend.lua: moves a lease's end to now + its length. For a task, XCLAIM ... TIME ...
  JUSTID on the same consumer sets the entry's delivery time to say when the new lease ends
  (queue_common.lua), without counting a delivery.

  KEYS[1..15]  the queue-wide keys (queue_common.lua)
  ARGV[1]      key prefix "{prefix}:"
  ARGV[2]      now, ms ('' = the server's clock)
  ARGV[3]      the task kinds this caller knows, space-separated
  ARGV[4]      task id
  ARGV[5]      lease token
  ARGV[6]      '1': a dead letter's hand-over; '0': a task
  ARGV[7]      lease length, ms
  ARGV[8]      the caller's consumer name

  Returns the new lease end (ms), or 0 when the lease was lost.
]]
local id, token = ARGV[4], ARGV[5]
local lease_end = now + tonumber(ARGV[7])
if ARGV[6] == '1' then
  if rcall('HGET', KEYS[11], id) ~= token then
    return 0
  end
  rcall('ZADD', KEYS[10], int(lease_end), id)
  return int(lease_end)
end
if rcall('HGET', KEYS[4], id) ~= token then
  return 0
end
local kind, g = entry_of(id)
if kind == nil then
  return 0
end
if #rcall('XCLAIM', stream_of(kind), GROUP, ARGV[8], 0, id, 'TIME', delivered_at(lease_end),
          'JUSTID') == 0 then
  return 0
end
local _, leased = group_keys(g)
rcall('ZADD', leased, int(lease_end), id)
rcall('ZADD', KEYS[6], int(lease_end), id)
return int(lease_end)
