--[[
  events_replay.lua: a user's events after a given id, if the bus still holds all of them.

  KEYS[1]  "{prefix}:user:U"   STREAM  user U's recent events
  ARGV[1]  the last id the caller has ("N-0")
  ARGV[2]  events kept per user (the `history` setting)

  Returns {0} when some event after ARGV[1] is gone, else {1, id, job, type, data, id, ...}.

  "Gone": the stream was trimmed past the id (XINFO's max-deleted-entry-id), or the id is older
  than the newest `history` events. XADD MAXLEN ~ trims whole nodes only, so Redis may keep
  more than `history` events; the bus promises exactly `history`, so both embedded and Redis
  answer alike. No stream (never written, or expired): gone too, a snapshot is always safe.
]]
local last = ARGV[1]
local history = tonumber(ARGV[2])
if rcall('EXISTS', KEYS[1]) == 0 then
  return {0}
end
local deleted = to_map(rcall('XINFO', 'STREAM', KEYS[1]))['max-deleted-entry-id']
if deleted ~= nil and id_less(last, deleted) then
  return {0}
end
local newest = rcall('XREVRANGE', KEYS[1], '+', '-', 'COUNT', history + 1)
if #newest > history and id_less(last, newest[#newest][1]) then
  return {0}
end
local out = {1}
for _, row in ipairs(rcall('XRANGE', KEYS[1], '(' .. last, '+', 'COUNT', history)) do
  local f = to_map(row[2])
  out[#out + 1] = row[1]
  out[#out + 1] = f['job']
  out[#out + 1] = f['type']
  out[#out + 1] = f['data']
end
return out
