#pragma once
// Internal to the HTTP adapter: the pace a request body must keep (slow-POST guard).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>

#include "adapters/http/http_error.hpp"
#include "adapters/http/server_config.hpp"
#include "adapters/http/session_io.hpp"

namespace imagesprint::http::detail {

/// The pace of one request body. All of it must arrive within request_timeout, each read within
/// body_read_timeout, and over every min_body_rate_window at least min_body_rate bytes a second
/// (a client trickling a body would otherwise hold a connection and a handler for as long as it
/// likes: the "slow POST" attack).
class BodyPace {
 public:
  explicit BodyPace(const ServerConfig& config)
      : config_(config), deadline_(Clock::now() + config.request_timeout), window_(Clock::now()) {}

  /// When the next read must have completed.
  Clock::time_point next_deadline() const {
    return std::min(Clock::now() + config_.body_read_timeout, deadline_);
  }
  /// Counts `bytes` just read; false when the body is too slow.
  bool record(std::size_t bytes) {
    const auto now = Clock::now();
    if (now >= deadline_) return false;
    window_bytes_ += bytes;
    const auto elapsed = now - window_;
    if (config_.min_body_rate > 0 && elapsed >= config_.min_body_rate_window) {
      const double seconds = std::chrono::duration<double>(elapsed).count();
      if (static_cast<double>(window_bytes_) < static_cast<double>(config_.min_body_rate) * seconds)
        return false;
      window_ = now;
      window_bytes_ = 0;
    }
    return true;
  }

 private:
  const ServerConfig& config_;
  Clock::time_point deadline_;
  Clock::time_point window_;
  std::uint64_t window_bytes_ = 0;
};

inline HttpError too_slow(const ServerConfig& config) {
  return HttpError(Status::request_timeout, "request_timeout",
                   "the request body arrived too slowly (it must come within " +
                       std::to_string(config.request_timeout.count() / 1000) +
                       " s, at no less than " + std::to_string(config.min_body_rate) +
                       " bytes a second)");
}

}  // namespace imagesprint::http::detail
