#include "app/rate_limiter.hpp"

#include <memory>

namespace imagesprint {

std::int64_t steady_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool InProcessRateLimiter::allow(const std::string& key) {
  const std::int64_t now = now_();
  const std::lock_guard lock(mutex_);
  // Now and then forget keys whose window has passed, so memory stays bounded.
  if (++calls_ % 1024 == 0) {
    for (auto it = hits_.begin(); it != hits_.end();) {
      it = (it->second.empty() || now - it->second.back() >= window_) ? hits_.erase(it)
                                                                      : std::next(it);
    }
  }
  auto& hits = hits_[key];
  while (!hits.empty() && now - hits.front() >= window_) hits.pop_front();
  if (static_cast<int>(hits.size()) >= limit_) return false;
  hits.push_back(now);
  return true;
}

namespace {

/// A scope's limiter, handed out to every user of the scope (one set of counts).
class SharedLimiter final : public RateLimiter {
 public:
  explicit SharedLimiter(std::shared_ptr<InProcessRateLimiter> limiter)
      : limiter_(std::move(limiter)) {}
  bool allow(const std::string& key) override { return limiter_->allow(key); }

 private:
  std::shared_ptr<InProcessRateLimiter> limiter_;
};

}  // namespace

RateLimiterFactory in_process_rate_limiters(MillisClock now) {
  struct Scopes {
    std::mutex mutex;
    std::unordered_map<std::string, std::shared_ptr<InProcessRateLimiter>> by_name;
  };
  auto scopes = std::make_shared<Scopes>();
  return [scopes, now](const std::string& scope, int limit,
                       std::chrono::milliseconds window) -> std::unique_ptr<RateLimiter> {
    const std::lock_guard lock(scopes->mutex);
    auto& limiter = scopes->by_name[scope];
    if (!limiter) limiter = std::make_shared<InProcessRateLimiter>(limit, window, now);
    return std::make_unique<SharedLimiter>(limiter);
  };
}

}  // namespace imagesprint
