--[[
  queue_lease.lua: the first step of a lease. Hands over a dead letter, or claims back a task
  whose lease ran out or whose nack delay is over (XAUTOCLAIM), or, when the next task in the
  fair order is a new one, reads it from its stream (XREADGROUP, the entry fed there) and begins
  its lease. When nothing is available the caller waits in XREADGROUP ... BLOCK for the next
  entry fed, and begins its lease with queue_begin.lua.

  KEYS[1..15]  the queue-wide keys (queue_common.lua); the groups' and kinds' keys are derived
               from the prefix (they share its hash tag), since which goes next is decided here
  ARGV[1]      key prefix "{prefix}:"
  ARGV[2]      now, ms ('' = the server's clock)
  ARGV[3]      the task kinds this caller knows, space-separated
  ARGV[4]      lease length, ms
  ARGV[5]      the new lease's token
  ARGV[6]      max deliveries for work
  ARGV[7]      max leases one group may hold at once (0 = no cap)
  ARGV[8]      dedupe key lifetime, ms (renewed on each lease)
  ARGV[9]      the last error of a task whose lease ran out
  ARGV[10]     the caller's consumer name
  ARGV[11]     ms after which an entry read but never begun counts as abandoned (server clock)
  ARGV[12]     '1': also delete this queue's consumers idle for an hour with nothing pending

  Returns nil when nothing is available, {'read'} when the caller should read its stream (not
  expected: the script reads it), else
    {'task' | 'dead', task id, delivery count, lease end, last error,
     kind, job id, image index, payload, dedupe key, group}

  Order: first a dead letter whose failure nobody has recorded yet (it completes a job); then,
  of the groups with an available task and under the cap, the one whose turn is oldest (never-
  served groups first, by their first task's time); within it the task available the longest:
  a new one (since it was enqueued), a lease that ran out (since its end) or a nacked task that
  is due (since its due time). A task that used its deliveries moves to the dead letters (XADD
  there, XACK here, in this one script) and the next round hands it over.
]]
local lease_ms = tonumber(ARGV[4])
local token = ARGV[5]
local max_deliveries = tonumber(ARGV[6])
local cap = tonumber(ARGV[7])
local dedupe_ttl = ARGV[8]
local expired_error = ARGV[9]
local consumer = ARGV[10]
local read_grace = tonumber(ARGV[11])
local lease_end = now + lease_ms

-- Entries a consumer read but never began (it stopped between XREADGROUP and queue_begin.lua,
-- or the reply was lost): their lease counts as run out now, so the order below claims them
-- back like any other.
settle_ahead(false)
for _, id in ipairs(rcall('ZRANGEBYSCORE', KEYS[14], '-inf', int(server_now - read_grace),
                          'LIMIT', 0, 16)) do
  rcall('ZREM', KEYS[14], id)
  local kind, g = entry_of(id)
  if kind ~= nil then
    local claimed = rcall('XCLAIM', stream_of(kind), GROUP, consumer, 0, id, 'TIME',
                          delivered_at(now), 'JUSTID')
    if #claimed > 0 then
      local _, leased = group_keys(g)
      rcall('ZADD', leased, int(now), id)
      rcall('ZADD', KEYS[6], int(now), id)
    else  -- gone from its stream (deleted by hand)
      rcall('HDEL', KEYS[13], id)
      count_down(g)
    end
  end
end

if ARGV[12] == '1' then
  for _, kind in ipairs(known_list) do
    local stream = stream_of(kind)
    if rcall('EXISTS', stream) == 1 then
      for _, row in ipairs(rcall('XINFO', 'CONSUMERS', stream, GROUP)) do
        local c = to_map(row)
        if tonumber(c['pending']) == 0 and tonumber(c['idle']) > 3600000 then
          rcall('XGROUP', 'DELCONSUMER', stream, GROUP, c['name'])
        end
      end
    end
  end
end

-- Moves a task aside as a dead letter; `handover`: to be handed to a caller once more.
local function dead_letter(id, fields, count, err, handover)
  local entry = {'XADD', KEYS[9], '*', 'task', id, 'deliveries', int(count), 'error', err,
                 'dead_at', int(now)}
  for i = 1, #fields do
    entry[#entry + 1] = fields[i]
  end
  local dead_id = rcall(unpack(entry))
  if handover then
    rcall('HSET', KEYS[12], id, dead_id)
    rcall('ZADD', KEYS[10], int(now), id)
  end
end

-- Claims back the picked pending task of group g; nil when it went elsewhere instead.
local function claim(g, pick)
  local kind, _, n = entry_of(pick.ref)
  local _, leased, delayed = group_keys(g)
  local function forget()
    rcall('ZREM', leased, pick.ref)
    rcall('ZREM', delayed, pick.ref)
    rcall('ZREM', KEYS[6], pick.ref)
  end
  if kind == nil then  -- an index out of step: drop it and look again
    forget()
    return nil
  end
  local stream = stream_of(kind)
  local pending = rcall('XPENDING', stream, GROUP, pick.ref, pick.ref, 1)
  if #pending == 0 then
    forget()
    rcall('HDEL', KEYS[13], pick.ref)
    count_down(g)
    return nil
  end
  local count = tonumber(pending[1][4])
  local last_error
  if pick.source == 'expired' then
    last_error = expired_error
  else
    last_error = rcall('HGET', KEYS[5], pick.ref) or ''
  end
  if count >= max_deliveries or not known[kind] then
    local rows = rcall('XRANGE', stream, pick.ref, pick.ref)
    local fields = rows[1] and rows[1][2] or {}
    local err = last_error
    if not known[kind] then  -- written by a newer version: nobody here can record it
      err = "unknown task kind '" .. kind .. "'"
    end
    dead_letter(pick.ref, fields, count, err, known[kind])
    remove_task(kind, g, pick.ref, to_map(fields)['dedupe'], n)
    return nil
  end
  -- XAUTOCLAIM takes the entry only if the pending-entries list says it is available by now
  -- (its idle time was set to say when): Redis, not only this index, decides that a lease ran
  -- out. It counts the delivery there.
  local claimed = rcall('XAUTOCLAIM', stream, GROUP, consumer, min_idle_now(), pick.ref,
                        'COUNT', 1)[2]
  if #claimed == 0 or claimed[1][1] ~= pick.ref then
    -- Still leased as Redis sees it: the index takes its time from the idle time and moves on.
    local idle = tonumber(pending[1][3])
    local at = MAX_AHEAD + server_now - idle
    if pick.source == 'expired' then
      rcall('ZADD', leased, int(at), pick.ref)
      rcall('ZADD', KEYS[6], int(at), pick.ref)
    else
      rcall('ZADD', delayed, int(at), pick.ref)
    end
    return nil
  end
  local fields = claimed[1][2]
  count = count + 1
  rcall('XCLAIM', stream, GROUP, consumer, 0, pick.ref, 'TIME', delivered_at(lease_end), 'JUSTID')
  local task = to_map(fields)
  rcall('HSET', KEYS[4], pick.ref, token)
  if last_error ~= '' then
    rcall('HSET', KEYS[5], pick.ref, last_error)
  end
  rcall('ZREM', delayed, pick.ref)
  rcall('ZADD', leased, int(lease_end), pick.ref)
  rcall('ZADD', KEYS[6], int(lease_end), pick.ref)
  rcall('ZADD', KEYS[2], 'XX', rcall('INCR', KEYS[3]), g)
  if task['dedupe'] ~= '' then
    local key = dedupe_key(task['dedupe'])
    if rcall('GET', key) == pick.ref then
      rcall('PEXPIRE', key, dedupe_ttl)
    end
  end
  feed(cap)
  return {'task', pick.ref, int(count), int(lease_end), last_error, task['kind'], task['job'],
          task['image'], task['payload'], task['dedupe'], task['group']}
end

-- A new task of a kind this caller does not know (enqueued by a newer version) goes straight
-- to the dead letters: nobody here can record its failure.
local function drop_unknown(g, n)
  local body = rcall('HGETALL', task_key(n))
  local task = to_map(body)
  dead_letter('', body, 0, "unknown task kind '" .. (task['kind'] or '') .. "'", false)
  rcall('ZREM', (group_keys(g)), n)
  rcall('DEL', task_key(n))
  free_dedupe(task['dedupe'], nil, n)
  count_down(g)
end

-- Each round returns, or moves one task aside and looks again; a bounded number keeps one call
-- short even when many tasks are dead-lettered at once.
for _ = 1, 8 do
  local due = rcall('ZRANGEBYSCORE', KEYS[10], '-inf', int(now), 'LIMIT', 0, 1)
  if #due > 0 then
    local id = due[1]
    local dead_id = rcall('HGET', KEYS[12], id)
    local rows = {}
    if dead_id then
      rows = rcall('XRANGE', KEYS[9], dead_id, dead_id)
    end
    if #rows == 0 then  -- its entry was deleted by hand: nothing left to hand over
      rcall('ZREM', KEYS[10], id)
      rcall('HDEL', KEYS[11], id)
      rcall('HDEL', KEYS[12], id)
    else
      local dead = to_map(rows[1][2])
      rcall('HSET', KEYS[11], id, token)
      rcall('ZADD', KEYS[10], int(lease_end), id)
      feed(cap)
      return {'dead', id, dead['deliveries'], int(lease_end), dead['error'], dead['kind'],
              dead['job'], dead['image'], dead['payload'], dead['dedupe'], dead['group']}
    end
  else
    local g, pick = pick_next(cap)
    if g == nil then
      feed(cap)
      return nil
    end
    if pick.source == 'new' then
      local kind = rcall('HGET', task_key(pick.ref), 'kind')
      if known[kind] then
        -- Fed to its stream (if it was not already), and read from there at once: XREADGROUP
        -- hands out the one entry not yet read. A caller that finds nothing available waits in
        -- XREADGROUP ... BLOCK instead (queue_begin.lua).
        feed(cap)
        local read = rcall('XREADGROUP', 'GROUP', GROUP, consumer, 'COUNT', 1, 'STREAMS',
                           stream_of(kind), '>')
        local entry = read and read[1] and read[1][2][1]
        if entry and rcall('HGET', KEYS[8], 'id') == entry[1] then
          local reply = begin_lease(kind, entry[1], to_map(entry[2]), true, token, lease_end,
                                    consumer, dedupe_ttl, 1)
          feed(cap)
          return reply
        end
        return {'read'}
      end
      drop_unknown(g, pick.ref)
    else
      local leased = claim(g, pick)
      if leased ~= nil then
        return leased
      end
    end
  end
end
feed(cap)
return nil
