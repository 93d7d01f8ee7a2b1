#pragma once
// The RateLimiter port (ports/rate_limiter.hpp) in this process's memory: a sliding window of
// attempt times per key. Enough for one process (`serve`); its counts reset with the process.
// Several API processes share the Redis one instead.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "ports/rate_limiter.hpp"

namespace imagesprint {

/// Milliseconds on some clock that never goes back (tests move one by hand).
using MillisClock = std::function<std::int64_t()>;

/// std::chrono::steady_clock in milliseconds.
std::int64_t steady_millis();

class InProcessRateLimiter final : public RateLimiter {
 public:
  InProcessRateLimiter(int limit, std::chrono::milliseconds window, MillisClock now = steady_millis)
      : limit_(limit), window_(window.count()), now_(std::move(now)) {}

  bool allow(const std::string& key) override;

 private:
  int limit_;
  std::int64_t window_;
  MillisClock now_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<std::int64_t>> hits_;
  std::uint64_t calls_ = 0;
};

/// Limiters in this process's memory: one per scope, shared by every limiter made for it.
RateLimiterFactory in_process_rate_limiters(MillisClock now = steady_millis);

}  // namespace imagesprint
