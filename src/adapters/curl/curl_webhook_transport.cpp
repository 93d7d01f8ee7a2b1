#include "adapters/curl/curl_webhook_transport.hpp"

#include <curl/curl.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <variant>

namespace imagesprint::curl {
namespace {

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct CurlStringDeleter {
  void operator()(char* text) const { curl_free(text); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

/// libcurl's global state, set up once for the process (and never torn down: other threads may
/// still be posting when statics are destroyed).
void init_libcurl_once() {
  static const CURLcode result = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (result != CURLE_OK) {
    throw std::runtime_error(std::string("libcurl failed to start: ") + curl_easy_strerror(result));
  }
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && lower(text.substr(0, prefix.size())) == prefix;
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

/// A URL parsed by libcurl's own parser, so what is checked is what libcurl will connect to.
struct ParsedUrl {
  UrlHandle handle;
  std::string scheme;  // lowercase
  std::string host;    // lowercase; IPv6 literals in brackets
  std::string port;    // empty when not given
  std::string path;
};

/// The URL parsed, or why it cannot be a webhook URL.
std::variant<ParsedUrl, std::string> parse_url(const std::string& url) {
  ParsedUrl out{UrlHandle(curl_url()), {}, {}, {}, {}};
  if (!out.handle) throw std::bad_alloc();
  if (url.empty()) return std::string("the URL is empty");
  if (const CURLUcode rc =
          curl_url_set(out.handle.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME);
      rc != CURLUE_OK) {
    return std::string("the URL is malformed (") + curl_url_strerror(rc) + ")";
  }
  const auto part = [&](CURLUPart which) -> std::optional<std::string> {
    char* raw = nullptr;
    if (curl_url_get(out.handle.get(), which, &raw, 0) != CURLUE_OK || raw == nullptr) {
      return std::nullopt;
    }
    const CurlString owned(raw);
    return std::string(owned.get());
  };
  out.scheme = lower(part(CURLUPART_SCHEME).value_or(""));
  if (out.scheme != "http" && out.scheme != "https") {
    return "the URL must use http or https, not " +
           (out.scheme.empty() ? std::string("no scheme") : out.scheme);
  }
  if (part(CURLUPART_USER) || part(CURLUPART_PASSWORD)) {
    return std::string("the URL must not carry a user name or password");
  }
  out.host = lower(part(CURLUPART_HOST).value_or(""));
  if (out.host.empty()) return std::string("the URL has no host");
  out.port = part(CURLUPART_PORT).value_or("");
  out.path = part(CURLUPART_PATH).value_or("/");
  return out;
}

/// Per-transfer state the callbacks fill in.
struct Transfer {
  bool allow_private = false;
  std::size_t max_body = 0;
  std::string body;
  bool truncated = false;
  std::optional<std::string> retry_after;  // the raw header value of the last response
  std::vector<std::string> refusals;       // addresses the policy refused
  int sockets_opened = 0;
};

curl_socket_t open_socket(void* user, curlsocktype /*purpose*/, curl_sockaddr* address) {
  auto& transfer = *static_cast<Transfer*>(user);
  const auto ip = from_sockaddr(&address->addr, address->addrlen);
  if (!ip) {
    transfer.refusals.emplace_back("an address of family " + std::to_string(address->family));
    return CURL_SOCKET_BAD;
  }
  if (auto reason = refuse_address(*ip, transfer.allow_private)) {
    transfer.refusals.push_back(std::move(*reason));
    return CURL_SOCKET_BAD;
  }
  const curl_socket_t fd =
      socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
  if (fd != CURL_SOCKET_BAD) ++transfer.sockets_opened;
  return fd;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t length = size * count;
  const std::size_t room = transfer.max_body - transfer.body.size();
  if (length > room) {
    transfer.body.append(data, room);
    transfer.truncated = true;
    return 0;  // anything but `length` stops the transfer (CURLE_WRITE_ERROR)
  }
  transfer.body.append(data, length);
  return length;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    transfer.retry_after.reset();  // a new response (after a 1xx): forget the previous one's
  } else if (iequals_prefix(line, "retry-after:")) {
    transfer.retry_after = std::string(trim(line.substr(std::string_view("retry-after:").size())));
  }
  return size * count;
}

/// Retry-After as delta-seconds or an HTTP-date (RFC 9110 10.2.3), never negative.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value) {
  if (value.empty()) return std::nullopt;
  if (std::ranges::all_of(value, [](char c) { return c >= '0' && c <= '9'; })) {
    std::int64_t seconds = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return std::chrono::seconds(seconds);
  }
  const std::string text(value);
  const std::time_t when = curl_getdate(text.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return std::chrono::seconds(std::max<std::int64_t>(0, when - std::time(nullptr)));
}

OutboundResponse::Failure failure_of(CURLcode code) {
  using Failure = OutboundResponse::Failure;
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Failure::timeout;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
      return Failure::connect;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Failure::bad_url;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
      return Failure::tls;
    default:
      return Failure::other;
  }
}

std::string_view failure_name(OutboundResponse::Failure failure) {
  using Failure = OutboundResponse::Failure;
  switch (failure) {
    case Failure::timeout:
      return "timeout";
    case Failure::connect:
      return "connect";
    case Failure::bad_url:
      return "bad URL";
    case Failure::tls:
      return "TLS";
    case Failure::refused_address:
      return "refused address";
    case Failure::too_large:
      return "too large";
    default:
      return "error";
  }
}

OutboundResponse failed(OutboundResponse::Failure failure, std::string error) {
  OutboundResponse out;
  out.failure = failure;
  out.error = std::move(error);
  return out;
}

bool has_line_break(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

/// Slack and Discord webhooks: only their official HTTPS endpoints.
std::optional<std::string> refuse_official_host(const ParsedUrl& url, WebhookType type) {
  if (type == WebhookType::generic) return std::nullopt;
  const bool slack = type == WebhookType::slack;
  const std::string_view name = slack ? "Slack" : "Discord";
  const std::string_view example =
      slack ? "https://hooks.slack.com/services/..." : "https://discord.com/api/webhooks/...";
  const auto refuse = [&] {
    return std::string(name) + " webhook URLs must look like " + std::string(example);
  };
  if (url.scheme != "https" || (!url.port.empty() && url.port != "443")) return refuse();
  if (slack) {
    if (url.host != "hooks.slack.com" || !url.path.starts_with("/services/")) return refuse();
    return std::nullopt;
  }
  static constexpr std::string_view DISCORD_HOSTS[] = {
      "discord.com",        "discordapp.com",     "ptb.discord.com",
      "ptb.discordapp.com", "canary.discord.com", "canary.discordapp.com"};
  if (std::ranges::find(DISCORD_HOSTS, url.host) == std::end(DISCORD_HOSTS)) return refuse();
  // "/api/webhooks/..." or with an API version: "/api/v10/webhooks/...".
  std::string_view path = url.path;
  if (!path.starts_with("/api/")) return refuse();
  path.remove_prefix(5);
  if (path.starts_with('v')) {
    const auto slash = path.find('/');
    const auto digits = path.substr(1, slash == std::string_view::npos ? 0 : slash - 1);
    if (digits.empty() || !std::ranges::all_of(digits, [](char c) { return c >= '0' && c <= '9'; }))
      return refuse();
    path.remove_prefix(slash + 1);
  }
  if (!path.starts_with("webhooks/")) return refuse();
  return std::nullopt;
}

}  // namespace

FieldErrors CurlTransportConfig::validate() const {
  FieldErrors errors;
  const auto require = [&errors](bool ok, const char* setting, const char* expected) {
    if (!ok)
      errors.push_back({std::string("webhook.") + setting, std::string("must be ") + expected});
  };
  require(connect_timeout.count() > 0, "connect_timeout", "positive");
  require(total_timeout.count() > 0, "total_timeout", "positive");
  require(total_timeout >= connect_timeout, "total_timeout", "at least connect_timeout");
  require(max_response_bytes > 0 && max_response_bytes <= MAX_MAX_RESPONSE_BYTES,
          "max_response_bytes", "between 1 and 16 MiB");
  require(!user_agent.empty() && !has_line_break(user_agent), "user_agent",
          "a non-empty single line");
  return errors;
}

std::vector<IpAddress> resolve_host(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return {};
  const std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, &freeaddrinfo);
  std::vector<IpAddress> out;
  for (const addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
    if (auto ip = from_sockaddr(entry->ai_addr, entry->ai_addrlen)) {
      if (std::ranges::find(out, *ip) == out.end()) out.push_back(*ip);
    }
  }
  return out;
}

CurlWebhookTransport::CurlWebhookTransport(CurlTransportConfig config, HostResolver resolver)
    : config_(std::move(config)), resolver_(std::move(resolver)) {
  refuse(config_.validate());
  if (!resolver_) throw std::invalid_argument("CurlWebhookTransport: a resolver is required");
  init_libcurl_once();
}

std::optional<std::string> CurlWebhookTransport::refuse_url(const std::string& url,
                                                            WebhookType type) const {
  auto parsed = parse_url(url);
  if (auto* reason = std::get_if<std::string>(&parsed)) return *reason;
  const auto& parts = std::get<ParsedUrl>(parsed);
  if (!config_.allow_private) {
    if (auto reason = refuse_official_host(parts, type)) return reason;
  }
  // A literal address is judged as written; a name by every address it resolves to now (post()
  // checks the one it connects to again).
  std::vector<IpAddress> addresses;
  if (auto literal = parse_ip_address(parts.host)) {
    addresses.push_back(*literal);
  } else {
    addresses = resolver_(parts.host);
    if (addresses.empty()) return "the host " + parts.host + " does not resolve";
  }
  for (const auto& address : addresses) {
    if (auto reason = refuse_address(address, config_.allow_private)) {
      return "the host " + parts.host + " is not allowed: " + *reason;
    }
  }
  return std::nullopt;
}

OutboundResponse CurlWebhookTransport::post(const OutboundRequest& request) {
  using Failure = OutboundResponse::Failure;
  auto parsed = parse_url(request.url);
  if (auto* reason = std::get_if<std::string>(&parsed)) return failed(Failure::bad_url, *reason);
  auto& url = std::get<ParsedUrl>(parsed);

  HeaderList headers(curl_slist_append(nullptr, "Content-Type: application/json"));
  // No "Expect: 100-continue" round trip for larger bodies.
  headers.reset(curl_slist_append(headers.release(), "Expect:"));
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || has_line_break(name) || has_line_break(value) ||
        name.find(':') != std::string::npos) {
      return failed(Failure::bad_url, "a request header is malformed: " + name);
    }
    const std::string line = name + ": " + value;
    curl_slist* appended = curl_slist_append(headers.get(), line.c_str());
    if (appended == nullptr) throw std::bad_alloc();
    headers.release();
    headers.reset(appended);
  }
  if (!headers) throw std::bad_alloc();

  EasyHandle easy(curl_easy_init());
  if (!easy) throw std::bad_alloc();
  CURL* h = easy.get();
  Transfer transfer;
  transfer.allow_private = config_.allow_private;
  transfer.max_body = config_.max_response_bytes;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};

  curl_easy_setopt(h, CURLOPT_CURLU, url.handle.get());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  // Never through a proxy named by the environment (http_proxy ...): it would connect for us,
  // out of reach of the address check.
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(config_.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.total_timeout.count()));
  curl_easy_setopt(h, CURLOPT_USERAGENT, config_.user_agent.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, &open_socket);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer.data());

  const auto started = std::chrono::steady_clock::now();
  const CURLcode code = curl_easy_perform(h);
  const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);

  OutboundResponse out;
  out.latency = latency;
  if (code == CURLE_OK || (code == CURLE_WRITE_ERROR && transfer.truncated)) {
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    out.status = static_cast<int>(status);
    out.body = std::move(transfer.body);
    if (transfer.retry_after) out.retry_after = parse_retry_after(*transfer.retry_after);
    return out;
  }
  if (!transfer.refusals.empty() && transfer.sockets_opened == 0) {
    out.failure = Failure::refused_address;
    out.error = "refused address: " + join(transfer.refusals, "; ");
    return out;
  }
  out.failure = failure_of(code);
  std::string detail = error_buffer[0] != '\0' ? error_buffer.data() : curl_easy_strerror(code);
  if (!transfer.refusals.empty()) detail += " (refused: " + join(transfer.refusals, "; ") + ")";
  out.error = std::string(failure_name(out.failure)) + ": " + detail;
  return out;
}

}  // namespace imagesprint::curl
