--[[
  queue_enqueue.lua: adds tasks, in their order, skipping those whose dedupe key is taken.

  KEYS[1..12]  the queue-wide keys (queue_common.lua)
  KEYS[11+2i]  task i's group stream "{prefix}:stream:G"   (i = 1 .. n)
  KEYS[12+2i]  task i's dedupe key "{prefix}:dedupe:K" ("{prefix}:dedupe:" when it has none)
  ARGV[1]      key prefix "{prefix}:"
  ARGV[2]      now, ms ('' = the server's clock)
  ARGV[3]      dedupe key lifetime, ms
  ARGV[4]      n, the number of tasks
  ARGV[5+6(i-1) ..]  task i: group, kind, job id, image index, payload, dedupe key ('' = none)

  Returns the number of tasks added.

  Task ids are stream ids given out queue-wide ("ms-seq" after KEYS[1]): the ms part is the
  enqueue time (never going back), so a new task's id says since when it is available, and ids
  are unique across the groups' streams.
]]
local ttl = ARGV[3]
local n = tonumber(ARGV[4])

local last_ms, last_seq = split_id(rcall('GET', KEYS[1]) or '0-0')
local added = 0
for i = 1, n do
  local base = 5 + 6 * (i - 1)
  local g, kind, job, image, payload, dedupe =
      ARGV[base], ARGV[base + 1], ARGV[base + 2], ARGV[base + 3], ARGV[base + 4], ARGV[base + 5]
  local stream = KEYS[11 + 2 * i]
  local id
  if now > last_ms then
    id = int(now) .. '-0'
  else
    id = int(last_ms) .. '-' .. int(last_seq + 1)
  end
  local free = true
  if dedupe ~= '' then
    free = rcall('SET', KEYS[12 + 2 * i], id, 'NX', 'PX', ttl)
  end
  if free then
    last_ms, last_seq = split_id(id)
    if rcall('EXISTS', stream) == 0 then
      rcall('XGROUP', 'CREATE', stream, GROUP, '0', 'MKSTREAM')
    end
    rcall('XADD', stream, id, 'kind', kind, 'job', job, 'image', image, 'payload', payload,
          'dedupe', dedupe, 'group', g)
    rcall('ZADD', KEYS[2], 'NX', int(NEW_GROUP_BASE + last_ms), g)
    added = added + 1
  end
end
if added > 0 then
  rcall('SET', KEYS[1], int(last_ms) .. '-' .. int(last_seq))
  rcall('INCRBY', KEYS[7], added)
  wake(added)
end
return added
