--[[
  queue_enqueue.lua: adds tasks, in their order, skipping those whose dedupe key is taken, then
  feeds the streams the next task in the fair order (queue_common.lua's feed).

  KEYS[1..15]  the queue-wide keys (queue_common.lua)
  KEYS[15+i]   task i's dedupe key "{prefix}:dedupe:D" ("{prefix}:dedupe:" when it has none)
  ARGV[1]      key prefix "{prefix}:"
  ARGV[2]      now, ms ('' = the server's clock)
  ARGV[3]      the task kinds the caller knows, space-separated
  ARGV[4]      dedupe key lifetime, ms
  ARGV[5]      max leases one group may hold at once (0 = no cap)
  ARGV[6]      n, the number of tasks
  ARGV[7+6(i-1) ..]  task i: group, kind, job id, image index, payload, dedupe key ('' = none)

  Returns the number of tasks added.

  A new task waits in its group's "waiting" set (scored by now, when it became available) with
  its fields in "{prefix}:task:N", N a number given out queue-wide; it enters its kind's stream
  when it is next in the fair order.
]]
local ttl = ARGV[4]
local cap = tonumber(ARGV[5])
local count = tonumber(ARGV[6])

local added = 0
for i = 1, count do
  local base = 7 + 6 * (i - 1)
  local g, kind, job, image, payload, dedupe =
      ARGV[base], ARGV[base + 1], ARGV[base + 2], ARGV[base + 3], ARGV[base + 4], ARGV[base + 5]
  local n = int(tonumber(rcall('GET', KEYS[1]) or '0') + 1)
  local free = true
  if dedupe ~= '' then
    free = rcall('SET', KEYS[15 + i], n, 'NX', 'PX', ttl)
  end
  if free then
    rcall('SET', KEYS[1], n)
    rcall('HSET', task_key(n), 'kind', kind, 'job', job, 'image', image, 'payload', payload,
          'dedupe', dedupe, 'group', g, 'at', int(now))
    rcall('ZADD', (group_keys(g)), int(now), n)
    rcall('HINCRBY', KEYS[15], g, 1)
    rcall('ZADD', KEYS[2], 'NX', int(NEW_GROUP_BASE + now), g)
    added = added + 1
  end
end
if added > 0 then
  rcall('INCRBY', KEYS[7], added)
  feed(cap)
end
return added
