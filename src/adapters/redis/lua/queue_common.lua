--[[
  queue_common.lua: what the task queue's scripts share. Every queue script takes the same
  first KEYS, the queue-wide keys (all "{prefix}:..."; one hash tag, so one Cluster slot):

    KEYS[1]  seq           STRING  the last task number given out (orders tasks queue-wide)
    KEYS[2]  groups        ZSET    group -> its turn: the lease counter when it was last served,
                                   or NEW_GROUP_BASE + its first task's time if never served
    KEYS[3]  turn          STRING  lease counter (orders the groups' turns)
    KEYS[4]  tokens        HASH    task id -> token of its current (or run-out) lease
    KEYS[5]  errors        HASH    task id -> its last error
    KEYS[6]  leases        ZSET    task id -> lease end, every group (for depth)
    KEYS[7]  task_count    STRING  tasks in the queue (waiting, fed, leased or nacked)
    KEYS[8]  ahead         HASH    the one entry fed to a kind's stream and not yet begun:
                                   id, kind, n (task number, or '' for a nudge), group
    KEYS[9]  dead          STREAM  dead letters, kept for inspection
    KEYS[10] dead_due      ZSET    task id -> when its unrecorded dead letter is next handed over
    KEYS[11] dead_tokens   HASH    task id -> token of its hand-over's lease
    KEYS[12] dead_entries  HASH    task id -> its entry id in `dead` (until recorded)
    KEYS[13] entries       HASH    task id -> "kind group n" of every task entry read (pending)
    KEYS[14] reading       ZSET    task id -> server time: entries a consumer read (XREADGROUP)
                                   whose lease has not begun yet (in `entries` too)
    KEYS[15] group_tasks   HASH    group -> its tasks in the queue

  and ARGV[1] = the key prefix "{prefix}:", ARGV[2] = now in ms ('' for the server's clock),
  ARGV[3] = the task kinds this caller knows, space-separated.

  Per kind K: "{prefix}:stream:K" STREAM with the consumer group GROUP. Per group G:
  "{prefix}:waiting:G" ZSET (task number -> when it became available, for tasks never fed),
  "{prefix}:leased:G" ZSET (task id -> lease end, for leases running or run out),
  "{prefix}:delayed:G" ZSET (task id -> when a nacked task is due). Per task number N:
  "{prefix}:task:N" HASH (kind, job, image, payload, dedupe, group, at) until its lease begins.
  Per dedupe key D: "{prefix}:dedupe:D" STRING (-> the task number, then its id; PX).

  Time. `now` orders everything (the caller's clock when one is given, else the server's). The
  pending-entries list measures idle time by the server's clock, so an entry's delivery time is
  set (XCLAIM ... TIME) to say when it is available again: at - MAX_AHEAD. XAUTOCLAIM with
  min-idle-time MAX_AHEAD + server - now then takes the entries available by `now`.
]]
local GROUP = 'workers'  -- the consumer group of every kind's stream
local NEW_GROUP_BASE = -1125899906842624  -- -2^50: never-served groups sort before served ones
-- How far ahead of the server's clock an availability time may lie (a lease's end, a nack's
-- due time): 30 days. Idle times are counted from it.
local MAX_AHEAD = 2592000000

local prefix = ARGV[1]
local server_now = clock_ms('')
local now = server_now
if ARGV[2] ~= '' then
  now = clock_ms(ARGV[2])
end
local known = {}
local known_list = {}
for kind in string.gmatch(ARGV[3], '%S+') do
  known[kind] = true
  known_list[#known_list + 1] = kind
end

local function stream_of(kind)
  return prefix .. 'stream:' .. kind
end

local function group_keys(g)
  return prefix .. 'waiting:' .. g, prefix .. 'leased:' .. g, prefix .. 'delayed:' .. g
end

local function task_key(n)
  return prefix .. 'task:' .. n
end

local function dedupe_key(name)
  return prefix .. 'dedupe:' .. name
end

-- The delivery time (XCLAIM ... TIME, server clock) that makes a pending entry available again
-- at `at` (caller's clock): its idle time reaches XAUTOCLAIM's min-idle-time exactly then.
-- Given as a time rather than as an idle time, so no tick of the server's clock during the
-- script moves it.
local function delivered_at(at)
  if at - MAX_AHEAD > server_now then
    error('availability time too far ahead of the server clock')
  end
  return int(at - MAX_AHEAD)
end

-- XAUTOCLAIM's min-idle-time for "available by now".
local function min_idle_now()
  return int(math.max(0, MAX_AHEAD + server_now - now))
end

-- A stream with its consumer group, made on first use.
local function ensure_stream(kind)
  local stream = stream_of(kind)
  if rcall('EXISTS', stream) == 0 then
    rcall('XGROUP', 'CREATE', stream, GROUP, '0', 'MKSTREAM')
  end
  return stream
end

-- Frees a dedupe key if it still names this task (after its lifetime another task may own it).
local function free_dedupe(name, id, n)
  if name ~= nil and name ~= '' then
    local key = dedupe_key(name)
    local holder = rcall('GET', key)
    if holder ~= false and (holder == id or holder == n) then
      rcall('DEL', key)
    end
  end
end

-- One task of group g left the queue; a group with none left forgets its keys and its turn.
local function count_down(g)
  rcall('DECR', KEYS[7])
  if rcall('HINCRBY', KEYS[15], g, -1) <= 0 then
    rcall('HDEL', KEYS[15], g)
    rcall('DEL', group_keys(g))
    rcall('ZREM', KEYS[2], g)
  end
end

-- Task `id` (pending in `kind`'s stream) leaves the queue: acknowledged, deleted, and dropped
-- from every index.
local function remove_task(kind, g, id, dedupe, n)
  local stream = stream_of(kind)
  local _, leased, delayed = group_keys(g)
  rcall('XACK', stream, GROUP, id)
  rcall('XDEL', stream, id)
  rcall('HDEL', KEYS[4], id)
  rcall('HDEL', KEYS[5], id)
  rcall('HDEL', KEYS[13], id)
  rcall('ZREM', KEYS[14], id)
  rcall('ZREM', leased, id)
  rcall('ZREM', delayed, id)
  rcall('ZREM', KEYS[6], id)
  free_dedupe(dedupe, id, n)
  count_down(g)
end

-- "kind group n" of a begun entry, as three values.
local function entry_of(id)
  local text = rcall('HGET', KEYS[13], id)
  if not text then
    return nil
  end
  local kind, g, n = string.match(text, '^(%S+) (.*) (%S+)$')  -- a group may hold spaces
  return kind, g, n
end

-- Running leases of group g (the cap counts them): leases not run out, and entries read by a
-- consumer whose lease has not begun yet.
local function running(g)
  local _, leased = group_keys(g)
  local count = rcall('ZCOUNT', leased, '(' .. int(now), '+inf')
  local reading = rcall('ZRANGE', KEYS[14], 0, -1)
  for i = 1, #reading do
    local _, read_group = entry_of(reading[i])
    if read_group == g then
      count = count + 1
    end
  end
  return count
end

-- The member of ZSET `key` with the lowest score <= now, with its score, or nil.
local function first_due(key)
  local first = rcall('ZRANGEBYSCORE', key, '-inf', int(now), 'WITHSCORES', 'LIMIT', 0, 1)
  if #first == 0 then
    return nil
  end
  return first[1], tonumber(first[2])
end

-- What group g would lease now: {id | n, at, source ('expired' | 'delayed' | 'new')}, or nil.
-- Within a group the task available longest goes first; on a tie, the older task (by number).
local function pick_in_group(g, cap)
  if rcall('HEXISTS', KEYS[15], g) == 0 then
    rcall('ZREM', KEYS[2], g)
    return nil
  end
  if cap > 0 and running(g) >= cap then
    return nil
  end
  local waiting, leased, delayed = group_keys(g)
  local best = nil
  local function consider(ref, at, source, n)
    if ref ~= nil and (best == nil or at < best.at or (at == best.at and n < best.n)) then
      best = {ref = ref, at = at, source = source, n = n}
    end
  end
  for _, pair in ipairs({{leased, 'expired'}, {delayed, 'delayed'}}) do
    local id, at = first_due(pair[1])
    if id ~= nil then
      local _, _, n = entry_of(id)
      consider(id, at, pair[2], tonumber(n or '0'))
    end
  end
  local head = rcall('ZRANGE', waiting, 0, 0, 'WITHSCORES')
  if #head > 0 then
    consider(head[1], tonumber(head[2]), 'new', tonumber(head[1]))
  end
  return best
end

-- Of the groups with an available task and under the cap, the one whose turn is oldest, and its
-- pick: g, pick; or nil.
local function pick_next(cap)
  local start = 0
  while true do
    local batch = rcall('ZRANGE', KEYS[2], start, start + 99)
    if #batch == 0 then
      return nil
    end
    for i = 1, #batch do
      local pick = pick_in_group(batch[i], cap)
      if pick ~= nil then
        return batch[i], pick
      end
    end
    start = start + 100
  end
end

-- Settles the fed entry: if a consumer read it, a task's lease begins soon (queue_begin.lua):
-- until then it counts as running for its group, and should its consumer never begin it,
-- queue_lease.lua finds it in `reading`; a nudge read is done with. If nobody read it and
-- `take_back`, it leaves the stream (a task stays in its group's waiting set). Returns the
-- fed entry still in place, as a table, or nil.
local function settle_ahead(take_back)
  local ahead = to_map(rcall('HGETALL', KEYS[8]))
  if ahead['id'] == nil then
    return nil
  end
  local stream = stream_of(ahead['kind'])
  local read = #rcall('XPENDING', stream, GROUP, ahead['id'], ahead['id'], 1) > 0
  if not read and not take_back then
    return ahead
  end
  rcall('DEL', KEYS[8])
  if ahead['n'] == '' then  -- a nudge
    rcall('XACK', stream, GROUP, ahead['id'])
    rcall('XDEL', stream, ahead['id'])
  elseif not read then
    rcall('XDEL', stream, ahead['id'])
  else
    rcall('ZADD', KEYS[14], server_now, ahead['id'])
    rcall('HSET', KEYS[13], ahead['id'], ahead['kind'] .. ' ' .. ahead['group'] .. ' ' .. ahead['n'])
    rcall('ZREM', (group_keys(ahead['group'])), ahead['n'])
    rcall('DEL', task_key(ahead['n']))
  end
  return nil
end

-- Feeds the streams the one entry a consumer blocked in XREADGROUP should take next: the next
-- task in the fair order if it is a new one, or a nudge (an entry that carries no task) when it
-- is a task to claim back or a dead letter to hand over, so that a waiting consumer wakes and
-- runs the lease script. At most one entry is fed at a time, and it is taken back whenever the
-- order changes, so what XREADGROUP hands out is always the head of the fair order. Every
-- script that changes what is available ends with it.
local function feed(cap)
  local ahead = settle_ahead(false)
  local g, pick = pick_next(cap)
  local dead_due = #rcall('ZRANGEBYSCORE', KEYS[10], '-inf', int(now), 'LIMIT', 0, 1) > 0
  local want = nil  -- a task number, '' for a nudge, nil for nothing
  if dead_due or (g ~= nil and pick.source ~= 'new') then
    want = ''
  elseif g ~= nil then
    want = pick.ref
  end
  if ahead ~= nil then
    if ahead['n'] == want then
      return
    end
    settle_ahead(true)
  end
  if want == nil then
    return
  end
  if want == '' then
    local kind = known_list[1]
    local id = rcall('XADD', ensure_stream(kind), '*', 'nudge', '1')
    rcall('HSET', KEYS[8], 'id', id, 'kind', kind, 'n', '', 'group', '')
    return
  end
  local task = to_map(rcall('HGETALL', task_key(want)))
  if task['kind'] == nil then  -- its body is gone (deleted by hand): forget it
    rcall('ZREM', (group_keys(g)), want)
    count_down(g)
    return
  end
  local id = rcall('XADD', ensure_stream(task['kind']), '*', 'kind', task['kind'], 'job',
                   task['job'], 'image', task['image'], 'payload', task['payload'], 'dedupe',
                   task['dedupe'], 'group', task['group'], 'n', want)
  rcall('HSET', KEYS[8], 'id', id, 'kind', task['kind'], 'n', want, 'group', g)
end

-- Begins the lease of task entry `id` of `kind`'s stream, just read by `consumer` (fields: its
-- fields as a table; is_ahead: it was the fed entry). Returns the delivery's reply.
local function begin_lease(kind, id, task, is_ahead, token, lease_end, consumer, dedupe_ttl, count)
  local g, n = task['group'], task['n']
  if is_ahead then
    rcall('DEL', KEYS[8])
    rcall('ZREM', (group_keys(g)), n)
    rcall('DEL', task_key(n))
  end
  local _, leased = group_keys(g)
  rcall('ZREM', KEYS[14], id)
  rcall('HSET', KEYS[13], id, kind .. ' ' .. g .. ' ' .. n)
  rcall('XCLAIM', stream_of(kind), GROUP, consumer, 0, id, 'TIME', delivered_at(lease_end),
        'JUSTID')
  rcall('HSET', KEYS[4], id, token)
  rcall('ZADD', leased, int(lease_end), id)
  rcall('ZADD', KEYS[6], int(lease_end), id)
  rcall('ZADD', KEYS[2], 'XX', rcall('INCR', KEYS[3]), g)
  if task['dedupe'] ~= '' then
    local key = dedupe_key(task['dedupe'])
    local holder = rcall('GET', key)
    if holder == n or holder == id then
      rcall('SET', key, id, 'PX', dedupe_ttl)
    end
  end
  return {'task', id, int(count), int(lease_end), '', task['kind'], task['job'], task['image'],
          task['payload'], task['dedupe'], task['group']}
end
