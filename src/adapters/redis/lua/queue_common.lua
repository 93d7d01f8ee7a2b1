--[[
  queue_common.lua: what the task queue's scripts share. Every queue script takes the same
  first KEYS, the queue-wide keys (all "{prefix}:..."; one hash tag, so one Cluster slot):

    KEYS[1]  last_id       STRING  the last task id given out ("ms-seq", queue-wide)
    KEYS[2]  groups        ZSET    group -> its turn: the lease counter when it was last served,
                                   or NEW_GROUP_BASE + its first task's time if never served
    KEYS[3]  turn          STRING  lease counter (orders the groups' turns)
    KEYS[4]  tokens        HASH    task id -> token of its current (or run-out) lease
    KEYS[5]  errors        HASH    task id -> its last error
    KEYS[6]  leases        ZSET    task id -> lease end, every group (for depth)
    KEYS[7]  task_count    STRING  tasks in the group streams (waiting or leased)
    KEYS[8]  wake          LIST    wake-up tokens for leases waiting with BLPOP
    KEYS[9]  dead          STREAM  dead letters, kept for inspection
    KEYS[10] dead_due      ZSET    task id -> when its unrecorded dead letter is next handed over
    KEYS[11] dead_tokens   HASH    task id -> token of its hand-over's lease
    KEYS[12] dead_entries  HASH    task id -> its entry id in `dead` (until recorded)

  and ARGV[1] = the key prefix "{prefix}:", ARGV[2] = now in ms ('' for the server's clock).

  Per group G: "{prefix}:stream:G" STREAM (consumer group GROUP), "{prefix}:leased:G" ZSET
  (task id -> lease end, for leases running or run out), "{prefix}:delayed:G" ZSET (task id ->
  when a nacked task is due). Per dedupe key K: "{prefix}:dedupe:K" STRING (-> task id, PX).
]]
local GROUP = 'workers'   -- the consumer group of every group's stream
local CONSUMER = 'lease'  -- its one consumer: a lease is owned by its token, not by a name
local NEW_GROUP_BASE = -1125899906842624  -- -2^50: never-served groups sort before served ones

local prefix = ARGV[1]
local now = clock_ms(ARGV[2])

local function group_keys(g)
  return prefix .. 'stream:' .. g, prefix .. 'leased:' .. g, prefix .. 'delayed:' .. g
end

local function dedupe_key(name)
  return prefix .. 'dedupe:' .. name
end

-- Frees a dedupe key if it still names this task (after its lifetime another task may own it).
local function free_dedupe(name, id)
  if name ~= nil and name ~= '' then
    local key = dedupe_key(name)
    if rcall('GET', key) == id then
      rcall('DEL', key)
    end
  end
end

-- A group with no task left forgets its streams and its turn.
local function drop_group_if_empty(g)
  local stream, leased, delayed = group_keys(g)
  if rcall('XLEN', stream) == 0 then
    rcall('DEL', stream, leased, delayed)
    rcall('ZREM', KEYS[2], g)
  end
end

-- Task `id` of group g leaves the queue: acknowledged in its stream's consumer group, deleted,
-- and dropped from every index.
local function remove_task(g, id, dedupe)
  local stream, leased, delayed = group_keys(g)
  rcall('XACK', stream, GROUP, id)
  rcall('XDEL', stream, id)
  rcall('HDEL', KEYS[4], id)
  rcall('HDEL', KEYS[5], id)
  rcall('ZREM', leased, id)
  rcall('ZREM', delayed, id)
  rcall('ZREM', KEYS[6], id)
  rcall('DECR', KEYS[7])
  free_dedupe(dedupe, id)
  drop_group_if_empty(g)
end

-- Wakes up to n leases waiting in BLPOP; the list stays short and expires, so wake-ups nobody
-- took cost a waiter one extra look at most.
local function wake(n)
  for _ = 1, math.min(n, 16) do
    rcall('LPUSH', KEYS[8], '1')
  end
  rcall('LTRIM', KEYS[8], 0, 15)
  rcall('PEXPIRE', KEYS[8], 10000)
end
