#pragma once
// What a handler receives: the header, the route's path parameters, the decoded query, and either
// the whole body (buffered routes) or a reader that yields it chunk by chunk (streaming routes).
#include <atomic>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/system/error_code.hpp>

#include "adapters/http/blocking_pool.hpp"
#include "adapters/http/http_types.hpp"
#include "adapters/http/url.hpp"

namespace imagesprint::http {

/// Values captured by a route's {param} segments, percent-decoded.
class PathParams {
 public:
  void add(std::string name, std::string value) {
    items_.emplace_back(std::move(name), std::move(value));
  }
  /// The value of `name`; throws std::out_of_range for a name the route does not declare
  /// (a programming error, not a client's).
  std::string_view get(std::string_view name) const;
  std::optional<std::string_view> find(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

/// Thrown by BodyReader::read_some when the connection fails under the body (client gone, read
/// timeout). The session closes the connection; a handler may catch it to clean up (delete the
/// half-written object) and rethrow.
class BodyReadError : public std::runtime_error {
 public:
  explicit BodyReadError(boost::system::error_code code);
  boost::system::error_code code() const { return code_; }
  bool timed_out() const { return timed_out_; }

 private:
  boost::system::error_code code_;
  bool timed_out_ = false;
};

/// Pull-style access to a streaming request body. `read_some()` returns the next chunk (a view
/// valid until the next call) or nullopt at the end. The route's body limit is enforced on the
/// way: passing it throws HttpError 413 (payload_too_large); a malformed chunked encoding throws
/// HttpError 400; a broken connection throws BodyReadError. The first call answers an
/// "Expect: 100-continue" client, so a handler that refuses on the headers (401, 415) costs the
/// client no upload.
class BodyReader {
 public:
  virtual ~BodyReader() = default;
  virtual net::awaitable<std::optional<std::string_view>> read_some() = 0;
  /// Body bytes handed out so far.
  virtual std::uint64_t bytes_read() const = 0;
  /// Whether the whole body has been read (true at once for a request without a body).
  virtual bool done() const = 0;
  /// The Content-Length, nullopt for a chunked body.
  virtual std::optional<std::uint64_t> content_length() const = 0;
  /// The route's body limit in bytes.
  virtual std::uint64_t limit() const = 0;
};

class Request {
 public:
  /// Everything the session knows when it calls the handler.
  struct Parts {
    RequestHeader header;
    std::string path;           // raw (still encoded) path of the target
    std::string route_pattern;  // "/v1/jobs/{id}"
    PathParams params;
    QueryParams query;
    std::string body;              // buffered routes
    BodyReader* reader = nullptr;  // streaming routes
    std::string request_id;
    net::any_io_executor executor;  // the connection's strand
    BlockingPool* blocking = nullptr;
    tcp::endpoint remote;
    std::string client_address;  // the remote's address, or the client a trusted proxy names
    const std::atomic<bool>* stopping = nullptr;  // the server's shutdown flag
  };

  explicit Request(Parts parts) : parts_(std::move(parts)) {}

  Verb method() const { return parts_.header.method(); }
  std::string_view method_name() const { return to_std(parts_.header.method_string()); }
  std::string_view target() const { return to_std(parts_.header.target()); }
  std::string_view path() const { return parts_.path; }
  std::string_view route_pattern() const { return parts_.route_pattern; }
  const RequestHeader& header() const { return parts_.header; }
  /// The value of header `name` (case-insensitive), empty when absent.
  std::string_view header(std::string_view name) const;
  std::string_view header(Field name) const;
  bool has_header(std::string_view name) const;

  const PathParams& params() const { return parts_.params; }
  std::string_view param(std::string_view name) const { return parts_.params.get(name); }
  const QueryParams& query() const { return parts_.query; }

  /// The body of a buffered route (empty on a streaming route).
  const std::string& body() const { return parts_.body; }
  std::string take_body() { return std::move(parts_.body); }
  /// The body as JSON: HttpError 415 when Content-Type is not JSON, 400 when it does not parse.
  nlohmann::json json_body() const;
  /// The reader of a streaming route; throws std::logic_error on a buffered route.
  BodyReader& body_reader() const;

  /// Generated, or the client's X-Request-Id when sane; echoed in the response and the log.
  const std::string& request_id() const { return parts_.request_id; }
  /// The connection's strand: where the handler's coroutine runs.
  const net::any_io_executor& executor() const { return parts_.executor; }
  const tcp::endpoint& remote_endpoint() const { return parts_.remote; }
  /// Who sent the request: the peer's address, or behind a trusted proxy the client it names in
  /// X-Forwarded-For (TrustedProxies). What per-address limits count.
  const std::string& client_address() const { return parts_.client_address; }

  /// Whether the server is shutting down: a handler that waits should end its request.
  bool server_stopping() const { return parts_.stopping && parts_.stopping->load(); }

  /// Who the route's admission step signed in (an account id), if anyone.
  std::optional<std::int64_t> principal() const { return principal_; }
  void set_principal(std::int64_t id) { principal_ = id; }
  /// Keeps `resource` (a concurrency permit, say) alive until the request is answered.
  void hold(std::shared_ptr<void> resource) { held_.push_back(std::move(resource)); }

  /// Server side: hands a buffered route its body once read (after the admission step).
  void set_body(std::string body) { parts_.body = std::move(body); }
  /// Server side: the reader of a streaming route's body.
  void attach_reader(BodyReader* reader) { parts_.reader = reader; }

  /// The server's pool for blocking work.
  BlockingPool& blocking() const;
  /// Runs `fn` on the blocking pool; see BlockingPool::run.
  template <typename F>
  net::awaitable<std::invoke_result_t<F&>> run_blocking(F fn) const {
    return blocking().run(std::move(fn));
  }

 private:
  Parts parts_;
  std::optional<std::int64_t> principal_;
  std::vector<std::shared_ptr<void>> held_;
};

}  // namespace imagesprint::http
