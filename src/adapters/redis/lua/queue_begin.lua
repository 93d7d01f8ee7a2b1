--[[
  queue_begin.lua: the second step of a lease, after XREADGROUP ... BLOCK handed the caller an
  entry: the lease begins (its end set through the entry's delivery time, XCLAIM ... TIME ... JUSTID
  on the same consumer, which counts no delivery), and the next entry is fed.

  KEYS[1..15]  the queue-wide keys (queue_common.lua)
  ARGV[1]      key prefix "{prefix}:"
  ARGV[2]      now, ms ('' = the server's clock)
  ARGV[3]      the task kinds this caller knows, space-separated
  ARGV[4]      the entry's id
  ARGV[5]      its kind (the stream it came from)
  ARGV[6]      lease length, ms
  ARGV[7]      the new lease's token
  ARGV[8]      max leases one group may hold at once (0 = no cap)
  ARGV[9]      dedupe key lifetime, ms
  ARGV[10]     the caller's consumer name

  Returns {'task', task id, delivery count, lease end, last error, kind, job id, image index,
  payload, dedupe key, group}; {'nudge'} for an entry that carries no task (the caller runs the
  lease script again); nil when the entry is no longer the caller's to begin (it was found
  abandoned and claimed back meanwhile).
]]
local id, kind = ARGV[4], ARGV[5]
local lease_end = now + tonumber(ARGV[6])
local token = ARGV[7]
local cap = tonumber(ARGV[8])
local consumer = ARGV[10]
local stream = stream_of(kind)

local rows = rcall('XRANGE', stream, id, id)
local pending = rcall('XPENDING', stream, GROUP, id, id, 1)
local is_ahead = rcall('HGET', KEYS[8], 'id') == id
if #rows == 0 or #pending == 0 or pending[1][2] ~= consumer or
    (not is_ahead and rcall('ZSCORE', KEYS[14], id) == false) then
  feed(cap)
  return nil
end
local task = to_map(rows[1][2])
if task['nudge'] ~= nil then
  rcall('XACK', stream, GROUP, id)
  rcall('XDEL', stream, id)
  if is_ahead then
    rcall('DEL', KEYS[8])
  end
  return {'nudge'}  -- no feed: the caller runs the lease script now, which claims what is due
end
local reply = begin_lease(kind, id, task, is_ahead, token, lease_end, consumer, ARGV[9],
                          pending[1][4])
feed(cap)
return reply
