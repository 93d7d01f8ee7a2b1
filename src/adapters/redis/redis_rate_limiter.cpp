#include "adapters/redis/redis_rate_limiter.hpp"

#include "adapters/redis/lua_scripts.hpp"

namespace imagesprint::redis {

RedisRateLimiter::RedisRateLimiter(std::shared_ptr<RedisClient> client, const std::string& prefix,
                                   const std::string& scope, int limit,
                                   std::chrono::milliseconds window,
                                   std::function<std::int64_t()> now)
    : client_(std::move(client)),
      key_prefix_("{" + prefix + "}:rate:" + scope + ":"),
      limit_(limit),
      window_(window),
      now_(std::move(now)),
      script_(std::make_shared<RedisScript>("rate_allow", lua::events_script(lua::rate_allow))) {}

bool RedisRateLimiter::allow(const std::string& key) {
  // The key is the client's text (an email, an address): binary-safe in Redis, and always after
  // this limiter's own prefix, so it cannot reach another key space.
  const std::string redis_key = key_prefix_ + key.substr(0, MAX_RATE_KEY_BYTES);
  const RedisValue answer = client_->eval(*script_, {redis_key},
                                          {std::to_string(limit_), std::to_string(window_.count()),
                                           now_ ? std::to_string(now_()) : std::string()},
                                          "rate limiter");
  return answer.as_integer() == 1;
}

RateLimiterFactory redis_rate_limiters(std::shared_ptr<RedisClient> client, std::string prefix,
                                       std::function<std::int64_t()> now) {
  return [client = std::move(client), prefix = std::move(prefix), now = std::move(now)](
             const std::string& scope, int limit,
             std::chrono::milliseconds window) -> std::unique_ptr<RateLimiter> {
    return std::make_unique<RedisRateLimiter>(client, prefix, scope, limit, window, now);
  };
}

}  // namespace imagesprint::redis
