#pragma once
// What the API holds back so that no client takes more than its share: concurrency permits for
// the preview (CPU and up to 25 MB buffered each) and for event streams, a pool of its own for
// password hashing (argon2id takes 64 MiB and ~50 ms a hash: a signup flood must not queue the
// database calls of everyone else behind it), and the signup rate per client address.
#include <chrono>

#include "adapters/http/blocking_pool.hpp"
#include "app/permits.hpp"
#include "app/rate_limiter.hpp"

namespace imagesprint::api {

struct ApiLimits {
  static constexpr int DEFAULT_PREVIEWS_PER_USER = 2;
  static constexpr int DEFAULT_PREVIEWS_AT_ONCE = 4;
  static constexpr int DEFAULT_EVENT_STREAMS_PER_USER = 16;
  static constexpr int DEFAULT_SIGNUPS_PER_HOUR = 20;
  static constexpr int DEFAULT_PASSWORD_HASHERS = 2;
  static constexpr int DEFAULT_PASSWORD_QUEUE = 16;

  int previews_per_user = DEFAULT_PREVIEWS_PER_USER;  // previews one user renders at once (429)
  int previews_at_once = DEFAULT_PREVIEWS_AT_ONCE;    // previews rendered at once in all (503)
  int event_streams_per_user = DEFAULT_EVENT_STREAMS_PER_USER;  // open SSE streams a user (429)
  int signups_per_hour = DEFAULT_SIGNUPS_PER_HOUR;  // accounts created per client address (429)
  int password_hashers = DEFAULT_PASSWORD_HASHERS;  // threads hashing passwords
  int password_queue = DEFAULT_PASSWORD_QUEUE;      // logins/signups in flight at most (503)
};

class ApiGuards {
 public:
  /// `limiters` counts sign-ups (in process by default; Redis for several API processes).
  explicit ApiGuards(const ApiLimits& limits_in,
                     const RateLimiterFactory& limiters = in_process_rate_limiters())
      : limits(limits_in),
        previews(limits_in.previews_per_user, limits_in.previews_at_once),
        streams(limits_in.event_streams_per_user, 1 << 30),
        password_work(limits_in.password_queue, limits_in.password_queue),
        signups(limiters("signup", limits_in.signups_per_hour, std::chrono::hours(1))),
        password_pool(static_cast<std::size_t>(limits_in.password_hashers)) {}

  const ApiLimits limits;
  Permits previews;
  Permits streams;
  Permits password_work;                 // one key: the whole process
  std::unique_ptr<RateLimiter> signups;  // per client address
  http::BlockingPool password_pool;
};

}  // namespace imagesprint::api
