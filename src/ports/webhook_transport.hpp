#pragma once
// Port: one outbound HTTP POST to a webhook receiver. The adapter (libcurl) owns timeouts, the
// address policy (SSRF guard, checked on the address actually connected to), redirects and the
// cap on the response read; the use case owns retries, signatures and payloads.
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/webhook.hpp"

namespace imagesprint {

struct OutboundRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>>
      headers;  // besides Content-Type: application/json
  std::string body;
};

struct OutboundResponse {
  /// What went wrong before an HTTP status came back (none when one did, whatever it was).
  enum class Failure { none, refused_address, bad_url, connect, timeout, tls, too_large, other };
  Failure failure = Failure::none;
  int status = 0;  // HTTP status, 0 when failure != none
  std::chrono::milliseconds latency{0};
  std::optional<std::chrono::seconds> retry_after;  // from a Retry-After header (seconds or date)
  std::string body;                                 // the start of the response body (capped)
  std::string error;                                // human detail when failure != none
};

class WebhookTransport {
 public:
  virtual ~WebhookTransport() = default;
  /// Thread-safe; blocks for at most the adapter's total timeout.
  virtual OutboundResponse post(const OutboundRequest& request) = 0;
  /// Why `url` cannot be a target of a webhook of `type`, or nullopt when it can: not http(s),
  /// malformed, credentials in it, a Slack/Discord URL off the official hosts, or a host whose
  /// addresses are private (both unless private targets are allowed). For a quick 422 at
  /// registration; post() checks the address it actually connects to again.
  virtual std::optional<std::string> refuse_url(const std::string& url, WebhookType type) const = 0;
};

}  // namespace imagesprint
