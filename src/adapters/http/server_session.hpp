#pragma once
// Internal to the HTTP adapter: what HttpServer shares with its connections, and one connection.
// Handlers never see these types.
#include "adapters/http/http_types.hpp"

#include <atomic>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "adapters/http/blocking_pool.hpp"
#include "adapters/http/request.hpp"
#include "adapters/http/response.hpp"
#include "adapters/http/router.hpp"
#include "adapters/http/server_config.hpp"
#include "adapters/http/server_metrics.hpp"
#include "adapters/http/trusted_proxies.hpp"

namespace spdlog {
class logger;
}

namespace imagesprint::http::detail {

class Session;

/// Owned by HttpServer; outlives every session.
struct ServerContext {
  ServerContext(ServerConfig config_in, Router router_in);

  ServerConfig config;
  TrustedProxies trusted_proxies;  // from config.trusted_proxies
  Router router;
  ServerMetrics metrics;
  BlockingPool blocking;
  std::shared_ptr<spdlog::logger> log;
  std::atomic<bool> stopping{false};

  std::mutex sessions_mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  // Sessions within the limits, in all and per client address; the rest are "limited" ones,
  // let in past the limits only to answer health checks.
  std::size_t admitted = 0;
  std::size_t limited = 0;
  std::unordered_map<std::string, std::size_t> per_address;

  /// How a new connection from `address` is served, given the limits: admitted, limited (health
  /// checks only) or rejected (503 unread).
  enum class Admit { admitted, limited, rejected };
  Admit admit(const std::string& address);
  /// Whether `address` (a peer's) is one of the trusted proxies: not capped per address.
  bool is_trusted_proxy(const std::string& address) const;
  void add_session(const std::shared_ptr<Session>& session);
  void remove_session(Session* session);
  std::size_t session_count();
  /// Calls request_stop() (or force_close()) on every live session.
  void stop_sessions(bool force);
};

/// One connection: a loop of read request -> route -> handle -> write, on its own strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  /// `limited`: let in past the connection limits, to answer ServerConfig::always_answer only.
  Session(ServerContext& server, tcp::socket socket, std::string address, bool limited);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// The connection's coroutine; spawn it on executor().
  net::awaitable<void> run();
  const net::any_io_executor& executor() const { return executor_; }

  /// Graceful stop (any thread): an idle connection closes now, an event stream ends after its
  /// queued events, a request in flight finishes and its response says Connection: close.
  void request_stop();
  /// Terminal stop (any thread): closes the socket whatever the connection is doing.
  void force_close();

  // Used by the streaming body reader.
  beast::tcp_stream& stream() { return stream_; }
  beast::flat_buffer& buffer() { return buffer_; }
  const ServerConfig& config() const { return server_.config; }
  const std::string& address() const { return address_; }
  bool limited() const { return limited_; }
  /// Sends "HTTP/1.1 100 Continue" (throws BodyReadError when the connection fails).
  net::awaitable<void> write_continue();
  /// The same, with the failure as a value.
  net::awaitable<void> write_continue_raw(boost::system::error_code& ec);

 private:
  enum class Phase { idle, reading, handling, streaming };
  struct Exchange;

  net::awaitable<bool> serve_one(std::chrono::steady_clock::time_point header_deadline);
  /// Runs the route's handler; what it throws becomes the response (failure_response). nullopt
  /// when the connection broke under it (exchange.status says how).
  net::awaitable<std::optional<Response>> handle(const Router::Route& route, Request& request,
                                                 Exchange& exchange);
  /// The answer to what a route's admission check or handler threw: an HttpError its own, a
  /// StorageError 503 with Retry-After, anything else 500; the last two logged.
  Response failure_response(const Exchange& exchange, const std::exception_ptr& failure) const;
  void log_handler_error(const Exchange& exchange, const std::string& failure) const;
  net::awaitable<void> write_response(Exchange& exchange, Response& response);
  net::awaitable<void> write_memory(Exchange& exchange, Response& response);
  net::awaitable<void> write_file(Exchange& exchange, Response& response);
  /// A body read from `source`, with Range, If-Range and If-None-Match answered.
  net::awaitable<void> write_source(Exchange& exchange, Response& response, ByteSource& source,
                                    const std::string& content_type);
  net::awaitable<void> write_events(Exchange& exchange, Response& response);
  net::awaitable<void> write_sse_head(Exchange& exchange, const Response& response, bool chunked,
                                      boost::system::error_code& ec);
  net::awaitable<bool> write_sse_bytes(Exchange& exchange, const std::string& bytes, bool chunked);
  net::awaitable<void> watch_peer(std::shared_ptr<EventChannel> channel);
  net::awaitable<void> close_connection();
  void finish(Exchange& exchange);
  void on_stop(bool force);

  ServerContext& server_;
  net::any_io_executor executor_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  tcp::endpoint remote_;
  std::string address_;  // the client's address, the key of the per-address limit
  bool limited_;
  std::chrono::steady_clock::time_point accepted_at_;

  // Touched only on the strand.
  Phase phase_ = Phase::idle;
  bool stop_requested_ = false;
  bool unread_input_ = false;              // the client may still be sending: linger before closing
  bool peer_gone_ = false;                 // the watcher saw the client leave an event stream
  std::shared_ptr<EventChannel> channel_;  // the event stream being written, if any
  // An event stream's response, handed from serve_one() to run(): streamed once serve_one's
  // frame (the parser, the request, every branch's temporaries: kilobytes) is gone, since a
  // stream lives for hours and idle streams cost what they hold (bench/sse_idle.py).
  struct PendingStream;
  std::unique_ptr<PendingStream> pending_stream_;
};

/// The state of one request/response exchange, for the response writers and the log.
struct Session::Exchange {
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::string request_id;
  std::string method = "OTHER";
  std::string route;                            // empty until a route matched
  const RouteOptions* route_options = nullptr;  // the matched route's, once it matched
  std::string path;
  unsigned version = 11;
  bool head = false;
  bool keep_alive = false;
  const RequestHeader* header = nullptr;  // the request's header, for conditional/range requests
  unsigned status = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
};

struct Session::PendingStream {
  Exchange exchange;
  Response response;
  Request request;  // holds the stream's permit (and the request's header, a few hundred bytes)
};

/// The completion handler of every co_spawn in the server: logs what escapes a coroutine (the one
/// place a bug in a session surfaces) and swallows it, so one connection never takes the server.
std::function<void(std::exception_ptr)> log_escape(std::shared_ptr<spdlog::logger> log,
                                                   std::string coroutine);

/// Generates a request id: 32 hex digits from a per-thread random engine.
std::string generate_request_id();
/// Whether a client's X-Request-Id may be reused: 1-128 of [A-Za-z0-9._:-].
bool is_sane_request_id(std::string_view id);

}  // namespace imagesprint::http::detail
