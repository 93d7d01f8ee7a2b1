#include "adapters/http/server_metrics.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

namespace imagesprint::http {

std::string access_log_line(const RequestRecord& record) {
  const double ms = std::chrono::duration<double, std::milli>(record.duration).count();
  const nlohmann::json line = {
      {"type", "request"},
      {"request_id", record.request_id},
      {"method", record.method},
      {"route", record.route.empty() ? UNMATCHED_ROUTE : record.route},
      {"path", record.path},
      {"status", record.status},
      {"duration_ms", std::round(ms * 1000.0) / 1000.0},
      {"bytes_in", record.bytes_in},
      {"bytes_out", record.bytes_out},
  };
  // `replace`: a path with broken UTF-8 must not make dump() throw.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void ServerMetrics::record(const RequestRecord& record) {
  const auto route = record.route.empty() ? UNMATCHED_ROUTE : record.route;
  const double seconds = std::chrono::duration<double>(record.duration).count();
  std::lock_guard lock(mutex_);
  auto& totals =
      requests_[std::make_tuple(std::string(record.method), std::string(route), record.status)];
  ++totals.count;
  totals.seconds += seconds;
}

std::vector<ServerMetrics::RequestCount> ServerMetrics::requests() const {
  std::lock_guard lock(mutex_);
  std::vector<RequestCount> out;
  out.reserve(requests_.size());
  for (const auto& [key, totals] : requests_) {
    out.push_back(
        {std::get<0>(key), std::get<1>(key), std::get<2>(key), totals.count, totals.seconds});
  }
  return out;
}

std::uint64_t ServerMetrics::requests_total() const {
  std::lock_guard lock(mutex_);
  std::uint64_t total = 0;
  for (const auto& entry : requests_) total += entry.second.count;
  return total;
}

}  // namespace imagesprint::http
