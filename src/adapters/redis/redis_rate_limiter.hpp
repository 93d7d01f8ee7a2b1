#pragma once
// RateLimiter on Redis, shared by every process of a deployment: the attempts of one key are a
// counter and an expiry, with the times of the last `limit` attempts, in one hash
// "{prefix}:rate:SCOPE:KEY" checked and added to in one script (lua/rate_allow.lua), timed by
// Redis's clock so that processes on different machines agree. The window slides exactly, as
// the port asks: an attempt is refused while the attempt `limit` back is within the window.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "adapters/redis/redis_client.hpp"
#include "ports/rate_limiter.hpp"

namespace imagesprint::redis {

/// Longest part of a key kept as given; a longer one is cut (two keys sharing that much share a
/// count: a stricter limit, never a looser one).
inline constexpr std::size_t MAX_RATE_KEY_BYTES = 512;

class RedisRateLimiter final : public RateLimiter {
 public:
  /// `prefix` as the queue's (without braces). `now` in ms: empty for Redis's clock (tests pass
  /// a clock they move by hand).
  RedisRateLimiter(std::shared_ptr<RedisClient> client, const std::string& prefix,
                   const std::string& scope, int limit, std::chrono::milliseconds window,
                   std::function<std::int64_t()> now = {});

  bool allow(const std::string& key) override;

 private:
  std::shared_ptr<RedisClient> client_;
  std::string key_prefix_;  // "{prefix}:rate:SCOPE:"
  int limit_;
  std::chrono::milliseconds window_;
  std::function<std::int64_t()> now_;
  std::shared_ptr<RedisScript> script_;
};

/// Limiters on Redis (the factory the distributed roles use).
RateLimiterFactory redis_rate_limiters(std::shared_ptr<RedisClient> client, std::string prefix,
                                       std::function<std::int64_t()> now = {});

}  // namespace imagesprint::redis
