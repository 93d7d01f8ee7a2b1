--[[
  rate_allow.lua: one attempt against a sliding-window limit (RedisRateLimiter): a counter
  (HINCRBY) and an expiry, plus the times of the last `limit` attempts, which make the window
  slide exactly instead of resetting at fixed boundaries (a fixed window lets twice the limit
  through across a boundary).

  KEYS[1]  the key's hash: field 'n' counts the attempts recorded; field i (0 .. limit-1) holds
           the time (ms) of the last attempt whose number modulo limit is i, so the field the next
           attempt takes holds the time of the attempt `limit` attempts back
  ARGV[1]  the limit (attempts per window)
  ARGV[2]  the window in ms
  ARGV[3]  now in ms, or '' for the server's clock (one clock for every process)

  Returns 1 when the attempt is recorded, 0 when `limit` attempts were recorded within the
  window before now (nothing recorded, so refusals do not lengthen the wait). The hash expires a
  window after its last attempt.
]]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = clock_ms(ARGV[3])
local slot = int(tonumber(rcall('HGET', KEYS[1], 'n') or '0') % limit)
local oldest = rcall('HGET', KEYS[1], slot)
-- Attempts a whole window old or older no longer count (as the in-process limiter).
if oldest and now - tonumber(oldest) < window then
  return 0
end
rcall('HINCRBY', KEYS[1], 'n', 1)
rcall('HSET', KEYS[1], slot, int(now))
rcall('PEXPIRE', KEYS[1], int(window))
return 1
