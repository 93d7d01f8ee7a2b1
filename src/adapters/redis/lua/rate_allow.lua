--[[
  rate_allow.lua: one attempt against a sliding-window limit (RedisRateLimiter).
  KEYS[1]  the key's sorted set: one member per attempt recorded, scored by its time in ms
  ARGV[1]  the limit (attempts per window)
  ARGV[2]  the window in ms
  ARGV[3]  now in ms, or '' for the server's clock (one clock for every process)
  ARGV[4]  a member name no other attempt uses
  Returns 1 when the attempt is recorded, 0 when the limit is reached (nothing recorded, so
  refusals do not lengthen the wait). The set expires a window after its last attempt.
]]
local now = clock_ms(ARGV[3])
local window = tonumber(ARGV[2])
-- Attempts a whole window old or older no longer count (as the in-process limiter).
rcall('ZREMRANGEBYSCORE', KEYS[1], '-inf', int(now - window))
if rcall('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
rcall('ZADD', KEYS[1], int(now), ARGV[4])
rcall('PEXPIRE', KEYS[1], int(window))
return 1
