#pragma once
// WebhookTransport on libcurl: one POST per call, on its own easy handle (so calls from several
// threads never share state). The SSRF guard runs inside libcurl's open-socket callback, on the
// exact address about to be connected to, so a host that resolves to a public address when the
// URL is registered and to a private one later (DNS rebinding) is still refused. No redirects are
// followed, no proxy from the environment is used, and only the start of the response is read.
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "adapters/curl/address_policy.hpp"
#include "domain/field_error.hpp"
#include "ports/webhook_transport.hpp"

namespace imagesprint::curl {

struct CurlTransportConfig {
  static constexpr std::chrono::milliseconds DEFAULT_CONNECT_TIMEOUT{5'000};
  static constexpr std::chrono::milliseconds DEFAULT_TOTAL_TIMEOUT{10'000};
  static constexpr std::size_t DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;
  static constexpr std::size_t MAX_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
  static constexpr const char* DEFAULT_USER_AGENT = "ImageSprint-Webhooks/1";

  /// Time allowed for DNS, TCP and TLS set-up.
  std::chrono::milliseconds connect_timeout = DEFAULT_CONNECT_TIMEOUT;
  /// Time allowed for the whole exchange, connection included.
  std::chrono::milliseconds total_timeout = DEFAULT_TOTAL_TIMEOUT;
  /// Bytes of the response body kept (for the deliveries log); the rest is not read: the
  /// transfer stops there and the response keeps its status (see post()).
  std::size_t max_response_bytes = DEFAULT_MAX_RESPONSE_BYTES;
  /// `webhook_allow_private`: also connect to loopback, private, CGNAT and link-local addresses,
  /// and let Slack/Discord webhooks point anywhere (for tests and self-hosted receivers). Cloud
  /// metadata, multicast, broadcast, unspecified and reserved addresses stay refused.
  bool allow_private = false;
  /// The User-Agent header.
  std::string user_agent = DEFAULT_USER_AGENT;

  /// Every bad setting, each by its name (the constructor refuses them all at once).
  FieldErrors validate() const;
};

/// The addresses a host name resolves to; an empty list when it does not resolve.
using HostResolver = std::function<std::vector<IpAddress>(const std::string& host)>;

/// getaddrinfo (blocking, any family).
std::vector<IpAddress> resolve_host(const std::string& host);

class CurlWebhookTransport final : public WebhookTransport {
 public:
  /// Throws std::invalid_argument for a bad config. `resolver` serves refuse_url() only (post()
  /// leaves resolving to libcurl and checks the connected address); tests pass a fake one.
  explicit CurlWebhookTransport(CurlTransportConfig config = {},
                                HostResolver resolver = resolve_host);

  /// POST request.body with Content-Type: application/json and request.headers.
  /// - failure none: an HTTP status came back, whatever it was (a 3xx is returned as is, never
  ///   followed). A body longer than max_response_bytes is cut there and the transfer stopped;
  ///   the status still counts (the receiver did answer), the body holds the first bytes only.
  /// - refused_address: every address libcurl tried was refused by the address policy; the
  ///   receiver saw nothing. bad_url: not http(s), malformed, credentials in it, or a header with
  ///   a line break. connect, timeout, tls, other: as named; `error` says more.
  /// retry_after comes from a Retry-After header (delta-seconds or an HTTP-date, clamped at 0).
  OutboundResponse post(const OutboundRequest& request) override;

  /// See WebhookTransport. Resolves the host (blocking) unless allow_private is on.
  std::optional<std::string> refuse_url(const std::string& url, WebhookType type) const override;

  const CurlTransportConfig& config() const { return config_; }

 private:
  CurlTransportConfig config_;
  HostResolver resolver_;
};

}  // namespace imagesprint::curl
