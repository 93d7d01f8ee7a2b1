#include "adapters/http/server_config.hpp"

#include <stdexcept>

#include "adapters/http/trusted_proxies.hpp"

namespace imagesprint::http {
namespace {

void require(bool ok, const char* setting, const char* expected) {
  if (!ok) throw std::invalid_argument(std::string("http.") + setting + " must be " + expected);
}

}  // namespace

void ServerConfig::validate() const {
  require(!host.empty(), "host", "an address or host name");
  require(max_header_bytes >= 1024, "max_header_bytes", "at least 1024");
  require(max_body_bytes > 0, "max_body_bytes", "positive");
  require(max_connections > 0, "max_connections", "positive");
  require(max_connections_per_address > 0, "max_connections_per_address", "positive");
  TrustedProxies{trusted_proxies};  // throws std::invalid_argument naming a bad entry
  require(request_timeout.count() > 0, "request_timeout", "positive");
  require(min_body_rate_window.count() > 0, "min_body_rate_window", "positive");
  require(sse_max_lifetime.count() > 0, "sse_max_lifetime", "positive");
  require(header_timeout.count() > 0, "header_timeout", "positive");
  require(idle_timeout.count() > 0, "idle_timeout", "positive");
  require(body_read_timeout.count() > 0, "body_read_timeout", "positive");
  require(write_timeout.count() > 0, "write_timeout", "positive");
  require(shutdown_timeout.count() >= 0, "shutdown_timeout", "zero or positive");
  require(sse_heartbeat.count() > 0, "sse_heartbeat", "positive");
  require(sse_retry.count() >= 0, "sse_retry", "zero or positive");
}

}  // namespace imagesprint::http
