#include "adapters/http/server_config.hpp"

#include <stdexcept>
#include <string>

#include "adapters/http/trusted_proxies.hpp"

namespace imagesprint::http {

FieldErrors ServerConfig::validate() const {
  FieldErrors errors;
  const auto require = [&errors](bool ok, const char* setting, const char* expected) {
    if (!ok) errors.push_back({std::string("http.") + setting, std::string("must be ") + expected});
  };
  require(!host.empty(), "host", "an address or host name");
  require(max_header_bytes >= 1024, "max_header_bytes", "at least 1024");
  require(max_body_bytes > 0, "max_body_bytes", "positive");
  require(max_connections > 0, "max_connections", "positive");
  require(max_connections_per_address > 0, "max_connections_per_address", "positive");
  try {
    TrustedProxies{trusted_proxies};
  } catch (const std::invalid_argument& e) {
    errors.push_back({"http.trusted_proxies", e.what()});
  }
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
  return errors;
}

}  // namespace imagesprint::http
