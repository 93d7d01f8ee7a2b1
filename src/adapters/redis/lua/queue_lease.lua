--[[
  queue_lease.lua: leases the next task in the fair order, or hands over a dead letter.

  KEYS[1..12]  the queue-wide keys (queue_common.lua); the groups' keys are derived from the
               prefix (they share its hash tag), since which group goes next is decided here
  ARGV[1]      key prefix "{prefix}:"
  ARGV[2]      now, ms ('' = the server's clock)
  ARGV[3]      lease length, ms
  ARGV[4]      the new lease's token
  ARGV[5]      max deliveries for work
  ARGV[6]      max leases one group may hold at once (0 = no cap)
  ARGV[7]      dedupe key lifetime, ms (renewed on each lease)
  ARGV[8]      the last error of a task whose lease ran out
  ARGV[9]      the task kinds this caller knows, space-separated

  Returns nil when nothing is available, else
    {'task' | 'dead', task id, delivery count, lease end, last error,
     kind, job id, image index, payload, dedupe key, group}

  Order: first a dead letter whose failure nobody has recorded yet (it completes a job); then,
  of the groups with an available task and under the cap, the one whose turn is oldest (never-
  served groups first, by their first task's time); within it the task available the longest:
  the next new entry (since its id's time), a lease that ran out (since its end) or a nacked
  task that is due (since its due time). A task that used its deliveries moves to the dead
  letters (XADD there, XACK here, in this one script) and the next round hands it over.
]]
local lease_ms = tonumber(ARGV[3])
local token = ARGV[4]
local max_deliveries = tonumber(ARGV[5])
local cap = tonumber(ARGV[6])
local dedupe_ttl = ARGV[7]
local expired_error = ARGV[8]
local known = {}
for kind in string.gmatch(ARGV[9], '%S+') do
  known[kind] = true
end
local lease_end = int(now + lease_ms)

-- The member of ZSET `key` with the lowest score <= now (equal scores: the lowest id), or nil.
local function first_due(key)
  local first = rcall('ZRANGEBYSCORE', key, '-inf', int(now), 'WITHSCORES', 'LIMIT', 0, 1)
  if #first == 0 then
    return nil
  end
  local same = rcall('ZRANGEBYSCORE', key, first[2], first[2], 'LIMIT', 0, 64)
  local best = same[1]
  for i = 2, #same do
    if id_less(same[i], best) then
      best = same[i]
    end
  end
  return best, tonumber(first[2])
end

-- The first entry of `stream` not yet delivered to the consumer group, or nil.
local function next_new(stream)
  local info = to_map(rcall('XINFO', 'GROUPS', stream)[1])
  local rows = rcall('XRANGE', stream, '(' .. info['last-delivered-id'], '+', 'COUNT', 1)
  if #rows == 0 then
    return nil
  end
  return rows[1][1]
end

-- What group g would lease now: {id, at, source}, or nil.
local function pick_in_group(g)
  local stream, leased, delayed = group_keys(g)
  if rcall('EXISTS', stream) == 0 then
    rcall('ZREM', KEYS[2], g)
    return nil
  end
  if cap > 0 and rcall('ZCOUNT', leased, '(' .. int(now), '+inf') >= cap then
    return nil
  end
  local best = nil
  local function consider(id, at, source)
    if id ~= nil and (best == nil or at < best.at or (at == best.at and id_less(id, best.id))) then
      best = {id = id, at = at, source = source}
    end
  end
  local id, at = first_due(leased)
  consider(id, at, 'expired')
  id, at = first_due(delayed)
  consider(id, at, 'delayed')
  id = next_new(stream)
  if id ~= nil then
    consider(id, (split_id(id)), 'new')
  end
  return best
end

-- Moves task id of group g to the dead letters; `handover`: to be handed to a caller once more.
local function dead_letter(g, id, fields, count, err, handover)
  local entry = {'XADD', KEYS[9], '*', 'task', id, 'deliveries', int(count), 'error', err,
                 'dead_at', int(now)}
  for i = 1, #fields do
    entry[#entry + 1] = fields[i]
  end
  local dead_id = rcall(unpack(entry))
  remove_task(g, id, to_map(fields)['dedupe'])
  if handover then
    rcall('HSET', KEYS[12], id, dead_id)
    rcall('ZADD', KEYS[10], int(now), id)
  end
end

-- Leases the pick of group g; nil when it went to the dead letters instead.
local function take(g, pick)
  local stream, leased, delayed = group_keys(g)
  local fields, count, last_error
  if pick.source == 'new' then
    local read = rcall('XREADGROUP', 'GROUP', GROUP, CONSUMER, 'COUNT', 1, 'STREAMS', stream, '>')
    fields = read[1][2][1][2]
    count = 1
    last_error = ''
  else
    local pending = rcall('XPENDING', stream, GROUP, pick.id, pick.id, 1)
    if #pending == 0 then  -- not pending: an index out of step; drop it and look again
      rcall('ZREM', leased, pick.id)
      rcall('ZREM', delayed, pick.id)
      rcall('ZREM', KEYS[6], pick.id)
      return nil
    end
    count = tonumber(pending[1][4])
    if pick.source == 'expired' then
      last_error = expired_error
    else
      last_error = rcall('HGET', KEYS[5], pick.id) or ''
    end
    if count >= max_deliveries then
      local rows = rcall('XRANGE', stream, pick.id, pick.id)
      dead_letter(g, pick.id, rows[1][2], count, last_error, true)
      return nil
    end
    -- XCLAIM counts the delivery in the pending-entries list.
    fields = rcall('XCLAIM', stream, GROUP, CONSUMER, 0, pick.id)[1][2]
    count = count + 1
  end
  local task = to_map(fields)
  if not known[task['kind']] then  -- written by a newer version: nobody here can record it
    dead_letter(g, pick.id, fields, count, "unknown task kind '" .. task['kind'] .. "'", false)
    return nil
  end
  rcall('HSET', KEYS[4], pick.id, token)
  if last_error ~= '' then
    rcall('HSET', KEYS[5], pick.id, last_error)
  end
  rcall('ZREM', delayed, pick.id)
  rcall('ZADD', leased, lease_end, pick.id)
  rcall('ZADD', KEYS[6], lease_end, pick.id)
  rcall('ZADD', KEYS[2], 'XX', rcall('INCR', KEYS[3]), g)
  if task['dedupe'] ~= '' then
    local key = dedupe_key(task['dedupe'])
    if rcall('GET', key) == pick.id then
      rcall('PEXPIRE', key, dedupe_ttl)
    end
  end
  return {'task', pick.id, int(count), lease_end, last_error, task['kind'], task['job'],
          task['image'], task['payload'], task['dedupe'], task['group']}
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
      rcall('ZADD', KEYS[10], lease_end, id)
      return {'dead', id, dead['deliveries'], lease_end, dead['error'], dead['kind'],
              dead['job'], dead['image'], dead['payload'], dead['dedupe'], dead['group']}
    end
  else
    local chosen, pick = nil, nil
    local start = 0
    while chosen == nil do
      local batch = rcall('ZRANGE', KEYS[2], start, start + 99)
      if #batch == 0 then
        break
      end
      for i = 1, #batch do
        pick = pick_in_group(batch[i])
        if pick ~= nil then
          chosen = batch[i]
          break
        end
      end
      start = start + 100
    end
    if chosen == nil then
      return nil
    end
    local leased = take(chosen, pick)
    if leased ~= nil then
      return leased
    end
  end
end
return nil
