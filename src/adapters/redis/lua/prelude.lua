--[[
  prelude.lua: helpers shared by every script of the Redis adapters. The build prepends it
  (and queue_common.lua for the queue's scripts) to each script, so every EVAL stays one
  self-contained script.
]]
local rcall = redis.call

-- Milliseconds since the Unix epoch: the caller's clock when it passes one (a test moving time
-- by hand, as BullMQ passes its timestamp), else the server's (one clock for every process).
local function clock_ms(arg)
  if arg ~= nil and arg ~= '' then
    return tonumber(arg)
  end
  local t = rcall('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- An integer as decimal text: tostring() would write large ones in exponent form.
local function int(n)
  return string.format('%d', n)
end

-- A stream id "ms-seq" as its two numbers.
local function split_id(id)
  local dash = string.find(id, '-', 1, true)
  if dash == nil then
    return tonumber(id), 0
  end
  return tonumber(string.sub(id, 1, dash - 1)), tonumber(string.sub(id, dash + 1))
end

-- Whether stream id a comes before b.
local function id_less(a, b)
  local am, as = split_id(a)
  local bm, bs = split_id(b)
  return am < bm or (am == bm and as < bs)
end

-- A flat {name, value, name, value ...} reply as a table.
local function to_map(flat)
  local map = {}
  for i = 1, #flat, 2 do
    map[flat[i]] = flat[i + 1]
  end
  return map
end
