#pragma once
// Settings of the HTTP server (the network side of every role), in the units a person types:
// seconds and bytes. The defaults are the server's own (http::ServerConfig), except where the
// service picks another one on purpose (said below).
#include <span>
#include <string>

#include "adapters/http/server_config.hpp"
#include "main/settings/setting_field.hpp"

namespace imagesprint {

struct HttpSettings {
  using Server = http::ServerConfig;
  static constexpr const char* DEFAULT_LISTEN = "127.0.0.1:8080";
  static constexpr int DEFAULT_MAX_CONNECTIONS = static_cast<int>(Server::DEFAULT_MAX_CONNECTIONS);
  static constexpr int DEFAULT_HEADER_TIMEOUT =
      static_cast<int>(Server::DEFAULT_HEADER_TIMEOUT.count() / 1000);
  /// Shorter than the server's own default: a browser reopens a connection cheaply, and an idle
  /// one holds a slot of max_connections_per_address.
  static constexpr int DEFAULT_IDLE_TIMEOUT = 30;
  static constexpr int DEFAULT_REQUEST_TIMEOUT =
      static_cast<int>(Server::DEFAULT_REQUEST_TIMEOUT.count() / 1000);
  static constexpr int DEFAULT_MIN_BODY_RATE = static_cast<int>(Server::DEFAULT_MIN_BODY_RATE);
  static constexpr int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS =
      static_cast<int>(Server::DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
  static constexpr int DEFAULT_SSE_HEARTBEAT =
      static_cast<int>(Server::DEFAULT_SSE_HEARTBEAT.count() / 1000);
  static constexpr int DEFAULT_SSE_MAX_LIFETIME =
      static_cast<int>(Server::DEFAULT_SSE_MAX_LIFETIME.count() / 1000);

  std::string listen = DEFAULT_LISTEN;  // HOST:PORT; port 0 picks a free one
  std::string public_url;  // base of links in notifications/webhooks; default http://listen
  int http_threads = 0;    // IO threads; 0 = cores
  int max_connections = DEFAULT_MAX_CONNECTIONS;
  int header_timeout = DEFAULT_HEADER_TIMEOUT;    // seconds to receive a request's headers
  int idle_timeout = DEFAULT_IDLE_TIMEOUT;        // seconds a keep-alive connection may idle
  int request_timeout = DEFAULT_REQUEST_TIMEOUT;  // seconds for a whole request body
  int min_body_rate = DEFAULT_MIN_BODY_RATE;      // bytes/s a body must average; 0 = off
  int max_connections_per_address = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
  /// Load balancers in front of the service, comma-separated addresses or CIDR networks: their
  /// X-Forwarded-For names the client for per-address limits; empty = none.
  std::string trusted_proxies;
  int sse_heartbeat = DEFAULT_SSE_HEARTBEAT;        // seconds between SSE comment heartbeats
  int sse_max_lifetime = DEFAULT_SSE_MAX_LIFETIME;  // seconds an event stream lasts

  static std::span<const SettingField<HttpSettings>> fields();
  FieldErrors validate() const { return check_fields(*this); }
  /// host and port from `listen` (valid once validate() found nothing).
  std::string host() const;
  int port() const;
};

}  // namespace imagesprint
