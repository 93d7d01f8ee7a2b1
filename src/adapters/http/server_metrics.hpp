#pragma once
// Request counting and the access log line. The server records every finished request here; a
// /metrics endpoint (built elsewhere) reads snapshots. Requests are counted by route *pattern*,
// never by raw path, so the number of series stays bounded whatever clients send.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace imagesprint::http {

/// One finished request, as logged and counted.
struct RequestRecord {
  std::string_view request_id;
  std::string_view method;
  std::string_view route;  // the matched pattern; empty when no route matched
  std::string_view path;   // raw path, for the log only (never a metric label)
  unsigned status = 0;
  std::chrono::steady_clock::duration duration{};
  std::uint64_t bytes_in = 0;   // request body bytes read
  std::uint64_t bytes_out = 0;  // response body bytes written
};

/// The route label used for requests that matched no route (404, 405, 400, 431 ...).
inline constexpr std::string_view UNMATCHED_ROUTE = "<unmatched>";

/// The JSON access-log line: {"type":"request","request_id":...,"method":...,"route":...,
/// "path":...,"status":...,"duration_ms":...,"bytes_in":...,"bytes_out":...}.
std::string access_log_line(const RequestRecord& record);

class ServerMetrics {
 public:
  struct RequestCount {
    std::string method;
    std::string route;  // pattern or UNMATCHED_ROUTE
    unsigned status = 0;
    std::uint64_t count = 0;
    double seconds_total = 0;  // summed durations, for an average
  };

  /// Thread-safe.
  void record(const RequestRecord& record);
  /// Counts by method, route and status, sorted by those keys.
  std::vector<RequestCount> requests() const;
  std::uint64_t requests_total() const;

  std::int64_t open_connections() const { return open_connections_.load(); }
  std::int64_t open_sse_streams() const { return open_sse_streams_.load(); }
  /// Connections refused with 503 because max_connections was reached.
  std::uint64_t rejected_connections() const { return rejected_connections_.load(); }

  // Gauges, moved by the server.
  void connection_opened() { ++open_connections_; }
  void connection_closed() { --open_connections_; }
  void sse_opened() { ++open_sse_streams_; }
  void sse_closed() { --open_sse_streams_; }
  void connection_rejected() { ++rejected_connections_; }

 private:
  struct Totals {
    std::uint64_t count = 0;
    double seconds = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, unsigned>, Totals> requests_;
  std::atomic<std::int64_t> open_connections_{0};
  std::atomic<std::int64_t> open_sse_streams_{0};
  std::atomic<std::uint64_t> rejected_connections_{0};
};

}  // namespace imagesprint::http
