#pragma once
// Port: at most `limit` attempts per key in any window of time (a sliding window), to slow down
// guessing and floods: log-ins per (email, client address) and per address, sign-ups per
// address. In process for one process (app/rate_limiter); in Redis when several API processes
// serve one deployment (adapters/redis/redis_rate_limiter), so a client meets the same limit
// whichever process answers it.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace imagesprint {

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  /// Records an attempt for `key` if fewer than the limit were recorded within the window
  /// before now; false, recording nothing, when over it (refusals do not lengthen the wait).
  /// Throws StorageError when the store behind it fails.
  virtual bool allow(const std::string& key) = 0;
};

/// Makes the limiter of one use: `scope` names it ("login", "signup"; keys of different scopes
/// never meet), `limit` attempts per `window`. Limiters of the same scope and factory share their
/// counts (in Redis: across processes too).
using RateLimiterFactory = std::function<std::unique_ptr<RateLimiter>(
    const std::string& scope, int limit, std::chrono::milliseconds window)>;

}  // namespace imagesprint
