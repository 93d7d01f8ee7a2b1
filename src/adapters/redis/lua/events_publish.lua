--[[
  events_publish.lua: records one event in its user's capped stream and publishes it.

  KEYS[1]  "{prefix}:seq"      STRING  the last event number given out (all users)
  KEYS[2]  "{prefix}:user:U"   STREAM  user U's recent events: fields job, type, data
  ARGV[1]  events kept per user (XADD MAXLEN ~)
  ARGV[2]  how long an idle user's stream is kept, ms
  ARGV[3]  the Pub/Sub channel of user U
  ARGV[4]  job id
  ARGV[5]  type
  ARGV[6]  data
  ARGV[7]  what follows the id in the published message (job, type and data, framed by the
           caller)

  Returns the event's id: its stream id "N-0", N from KEYS[1]. One counter for every user
  keeps ids increasing across the bus (the SSE layer orders by the number before the dash),
  and two events in one millisecond still differ. The message is "<id>\n" followed by ARGV[7].
]]
local n = rcall('INCR', KEYS[1])
local id = int(n) .. '-0'
local ok = redis.pcall('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], id,
                       'job', ARGV[4], 'type', ARGV[5], 'data', ARGV[6])
if type(ok) == 'table' and ok.err then
  -- The counter is behind this stream (it was reset by hand): move it past the stream's end.
  local last = rcall('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
  local last_n = split_id(last[1][1])
  rcall('SET', KEYS[1], int(last_n + 1))
  id = int(last_n + 1) .. '-0'
  rcall('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], id,
        'job', ARGV[4], 'type', ARGV[5], 'data', ARGV[6])
end
rcall('PEXPIRE', KEYS[2], ARGV[2])
rcall('PUBLISH', ARGV[3], id .. '\n' .. ARGV[7])
return id
