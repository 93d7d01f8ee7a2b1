#include "main/settings/http_settings.hpp"

#include <array>

namespace imagesprint {
namespace {

using Field = SettingField<HttpSettings>;

bool valid_listen(const HttpSettings& s) {
  const auto colon = s.listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= s.listen.size()) return false;
  const std::string port = s.listen.substr(colon + 1);
  return port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos &&
         std::stoi(port) <= 65535;
}

bool valid_public_url(const HttpSettings& s) {
  return s.public_url.empty() || s.public_url.starts_with("http://") ||
         s.public_url.starts_with("https://");
}

const std::array FIELDS{
    Field{.name = "listen",
          .help = "HOST:PORT to listen on (port 0 picks a free one)",
          .member = &HttpSettings::listen,
          .expected = "HOST:PORT with a port of 0 to 65535",
          .accepts = valid_listen},
    Field{.name = "public_url",
          .help = "Base URL for links in notifications and webhooks",
          .member = &HttpSettings::public_url,
          .expected = "an http(s) URL",
          .accepts = valid_public_url},
    Field{.name = "http_threads",
          .help = "HTTP IO threads (0 = cores)",
          .member = &HttpSettings::http_threads,
          .min = 0,
          .max = 256},
    Field{.name = "max_connections",
          .help = "Open connections at most (503 beyond)",
          .member = &HttpSettings::max_connections,
          .min = 1},
    Field{.name = "header_timeout",
          .help = "Seconds to receive a request's headers",
          .member = &HttpSettings::header_timeout,
          .min = 1},
    Field{.name = "idle_timeout",
          .help = "Seconds a keep-alive connection may stay idle",
          .member = &HttpSettings::idle_timeout,
          .min = 1},
    Field{.name = "request_timeout",
          .help = "Seconds to receive a whole request body",
          .member = &HttpSettings::request_timeout,
          .min = 1},
    Field{.name = "min_body_rate",
          .help = "Bytes per second a request body must average over 30 s (0 = no minimum)",
          .member = &HttpSettings::min_body_rate,
          .min = 0},
    Field{.name = "max_connections_per_address",
          .help = "Open connections from one client address at most",
          .member = &HttpSettings::max_connections_per_address,
          .min = 1},
    Field{.name = "trusted_proxies",
          .help = "Load balancers (addresses or CIDR networks, comma-separated) whose "
                  "X-Forwarded-For names the client",
          .member = &HttpSettings::trusted_proxies},
    Field{.name = "sse_heartbeat",
          .help = "Seconds between Server-Sent Events heartbeats",
          .member = &HttpSettings::sse_heartbeat,
          .min = 1},
    Field{.name = "sse_max_lifetime",
          .help = "Seconds an event stream lasts; the client then reconnects with Last-Event-ID",
          .member = &HttpSettings::sse_max_lifetime,
          .min = 1},
};

}  // namespace

std::span<const SettingField<HttpSettings>> HttpSettings::fields() {
  return FIELDS;
}

std::string HttpSettings::host() const {
  return listen.substr(0, listen.rfind(':'));
}

int HttpSettings::port() const {
  return std::stoi(listen.substr(listen.rfind(':') + 1));
}

}  // namespace imagesprint
