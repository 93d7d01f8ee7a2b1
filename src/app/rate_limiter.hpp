#pragma once
// A sliding-window limiter: at most `limit` events per key in any `window`. Used for login
// attempts (per email and per client address), in memory: limits reset with the process, which
// is acceptable for brute-force slowing on one machine.
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace imagesprint {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  RateLimiter(int limit, Clock::duration window) : limit_(limit), window_(window) {}

  /// Records an attempt for `key` at `now` if allowed; false (nothing recorded) when over.
  bool allow(const std::string& key, Clock::time_point now = Clock::now());

 private:
  int limit_;
  Clock::duration window_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<Clock::time_point>> hits_;
  std::uint64_t calls_ = 0;
};

}  // namespace imagesprint
