#pragma once
// Settings of the HTTP server, each with its unit and default. validate() names every setting that
// is wrong, so the binary can fail fast at start-up.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "adapters/http/server_metrics.hpp"
#include "domain/field_error.hpp"

namespace spdlog {
class logger;
}

namespace imagesprint::http {

struct ServerConfig {
  static constexpr std::uint16_t DEFAULT_PORT = 8080;
  static constexpr std::size_t DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
  static constexpr std::uint64_t DEFAULT_MAX_BODY_BYTES = 64 * 1024;
  static constexpr std::size_t DEFAULT_MAX_CONNECTIONS = 10000;
  static constexpr std::chrono::milliseconds DEFAULT_HEADER_TIMEOUT{10'000};
  static constexpr std::chrono::milliseconds DEFAULT_IDLE_TIMEOUT{60'000};
  static constexpr std::chrono::milliseconds DEFAULT_BODY_READ_TIMEOUT{30'000};
  static constexpr std::chrono::milliseconds DEFAULT_WRITE_TIMEOUT{30'000};
  static constexpr std::chrono::milliseconds DEFAULT_SHUTDOWN_TIMEOUT{10'000};
  static constexpr std::chrono::milliseconds DEFAULT_SSE_HEARTBEAT{15'000};
  static constexpr std::chrono::milliseconds DEFAULT_SSE_RETRY{3'000};
  static constexpr std::size_t DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;
  static constexpr std::chrono::milliseconds DEFAULT_REQUEST_TIMEOUT{300'000};
  static constexpr std::uint64_t DEFAULT_MIN_BODY_RATE = 1024;
  static constexpr std::chrono::milliseconds DEFAULT_MIN_BODY_RATE_WINDOW{30'000};
  static constexpr std::chrono::milliseconds DEFAULT_SSE_MAX_LIFETIME{3'600'000};

  /// Address to listen on (an IP address or a host name resolved at start-up).
  std::string host = "127.0.0.1";
  /// TCP port; 0 picks a free one (read it back with HttpServer::port()).
  std::uint16_t port = DEFAULT_PORT;
  /// IO threads running the io_context; 0 = one per core.
  std::size_t threads = 0;
  /// Threads for blocking work (BlockingPool); 0 = max(4, 2 x cores).
  std::size_t blocking_threads = 0;
  /// Largest request line + header in bytes; 431 beyond.
  std::size_t max_header_bytes = DEFAULT_MAX_HEADER_BYTES;
  /// Largest request body in bytes for routes that set no limit of their own; 413 beyond.
  std::uint64_t max_body_bytes = DEFAULT_MAX_BODY_BYTES;
  /// Open connections served at once. Past it (or past max_connections_per_address) a few more
  /// connections are still read, to answer the always_answer paths (health checks); any other
  /// request on them gets 503, and past those the connection gets 503 unread.
  std::size_t max_connections = DEFAULT_MAX_CONNECTIONS;
  /// Open connections from one client address (IPv4, or IPv6 address) at once.
  std::size_t max_connections_per_address = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
  /// Load balancers in front of the service (addresses or CIDR networks): a request from one of
  /// them is from the client its X-Forwarded-For names (Request::client_address), and their
  /// connections are not capped per address (they carry many clients; the proxy caps those).
  std::vector<std::string> trusted_proxies;
  /// Route patterns answered even on a connection over the limits: health and readiness.
  std::vector<std::string> always_answer = {"/healthz", "/readyz"};
  /// The whole request header must arrive within this time, counted from the connection's start
  /// (first request) or from the request's first byte (keep-alive): a client trickling bytes
  /// (slow loris) is cut off.
  std::chrono::milliseconds header_timeout = DEFAULT_HEADER_TIMEOUT;
  /// How long a keep-alive connection may wait for its next request.
  std::chrono::milliseconds idle_timeout = DEFAULT_IDLE_TIMEOUT;
  /// Each read of a request body must make progress within this time.
  std::chrono::milliseconds body_read_timeout = DEFAULT_BODY_READ_TIMEOUT;
  /// A whole request body must arrive within this time (then 408 or the connection closes).
  std::chrono::milliseconds request_timeout = DEFAULT_REQUEST_TIMEOUT;
  /// Bytes per second a body must average over each min_body_rate_window (a client trickling a
  /// body would hold a connection and a handler forever: 408 and close); 0 turns it off.
  std::uint64_t min_body_rate = DEFAULT_MIN_BODY_RATE;
  std::chrono::milliseconds min_body_rate_window = DEFAULT_MIN_BODY_RATE_WINDOW;
  /// Each write of a response must complete within this time (a client that stops reading).
  std::chrono::milliseconds write_timeout = DEFAULT_WRITE_TIMEOUT;
  /// stop(): how long in-flight requests may take to finish before connections are cut.
  std::chrono::milliseconds shutdown_timeout = DEFAULT_SHUTDOWN_TIMEOUT;
  /// A comment line on an idle event stream this often.
  std::chrono::milliseconds sse_heartbeat = DEFAULT_SSE_HEARTBEAT;
  /// The "retry:" sent once at the start of an event stream.
  std::chrono::milliseconds sse_retry = DEFAULT_SSE_RETRY;
  /// An event stream ends cleanly after this long; the client reconnects with Last-Event-ID and
  /// misses nothing (bounds what one stream can hold on to).
  std::chrono::milliseconds sse_max_lifetime = DEFAULT_SSE_MAX_LIFETIME;
  /// Where the one-JSON-line-per-request access log goes; null = spdlog's default logger.
  std::shared_ptr<spdlog::logger> access_log;
  /// Called after every request (from an IO thread; keep it cheap), besides the built-in counters.
  std::function<void(const RequestRecord&)> on_request;

  /// Every bad setting, each named ("http.max_connections"); empty when all are good.
  FieldErrors validate() const;
};

}  // namespace imagesprint::http
