-- wrk script for bench/load.py: each connection is one user polling GET /v1/jobs with its own
-- token every LOAD_POLL_MS milliseconds (tokens from LOAD_TOKENS, comma-separated).
local tokens = {}
for t in string.gmatch(os.getenv("LOAD_TOKENS") or "", "[^,]+") do tokens[#tokens + 1] = t end
local poll_ms = tonumber(os.getenv("LOAD_POLL_MS") or "1000")
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_index", counter)
end

local n = 0
function request()
  n = n + 1
  -- thread_index spreads the threads over the tokens; n the connections within one thread.
  local token = tokens[((thread_index or 1) * 7919 + n) % #tokens + 1]
  return wrk.format("GET", nil, {["Authorization"] = "Bearer " .. token})
end

function delay()
  return poll_ms
end
