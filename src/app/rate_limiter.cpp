#include "app/rate_limiter.hpp"

namespace imagesprint {

bool RateLimiter::allow(const std::string& key, Clock::time_point now) {
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

}  // namespace imagesprint
