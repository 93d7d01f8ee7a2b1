#include "adapters/http/server_session.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <boost/beast/core/string.hpp>

#include <spdlog/spdlog.h>
#include <algorithm>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cerrno>
#include <charconv>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <vector>

#include "adapters/http/http_error.hpp"
#include "adapters/http/request.hpp"
#include "adapters/http/url.hpp"

namespace imagesprint::http::detail {
namespace bhttp = boost::beast::http;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

namespace {

constexpr std::size_t READ_CHUNK = 64 * 1024;       // socket reads and body chunks
constexpr std::size_t FILE_CHUNK = 64 * 1024;       // file bytes per write
constexpr std::chrono::seconds LINGER_TIME{2};      // draining a client still sending, before close
constexpr std::size_t SSE_BATCH_BYTES = 64 * 1024;  // queued events coalesced into one write

/// Completion token for operations whose failure is an expected outcome, not an exception.
auto capture(error_code& ec) {
  return net::redirect_error(net::use_awaitable, ec);
}

/// Errors that mean the connection is gone or timed out (nothing left to answer on).
/// Everything but a parse error (which has the HTTP category) is: eof, reset, timeout, abort.
bool is_connection_error(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec.category() != bhttp::make_error_code(bhttp::error::end_of_stream).category();
}

std::string method_label(const RequestHeader& header) {
  // An unknown method must not become a metric label: the client chooses its spelling.
  if (header.method() == Verb::unknown) return "OTHER";
  return std::string(to_std(header.method_string()));
}

/// Case-insensitive ASCII comparison (Beast's, on standard string views).
bool iequals(std::string_view a, std::string_view b) {
  return boost::beast::iequals(to_beast(a), to_beast(b));
}

/// The request's Content-Length, from the header Beast has already validated. Not Beast's
/// parser.content_length(): GCC 12 reports -Wmaybe-uninitialized inside its boost::optional at -O2.
std::optional<std::uint64_t> declared_length(const RequestHeader& header) {
  const auto value = to_std(header[Field::content_length]);
  std::uint64_t length = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
  if (value.empty() || ec != std::errc{} || end != value.data() + value.size()) return std::nullopt;
  return length;
}

/// An open POSIX file descriptor, closed when the handle goes (RAII for the file being served).
class FileHandle {
 public:
  explicit FileHandle(int fd = -1) : fd_(fd) {}
  ~FileHandle() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileHandle(FileHandle&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileHandle& operator=(FileHandle&&) = delete;
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_;
};

FileHandle open_file(const std::filesystem::path& path, int& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = errno;
    return FileHandle();
  }
  return FileHandle(fd);
}

/// A regular file as a ByteSource: pread at offsets, on the IO thread (a local read of one
/// chunk is short, and the page cache usually has it).
class FileSource final : public ByteSource {
 public:
  FileSource(FileHandle handle, std::uint64_t size, std::string etag)
      : handle_(std::move(handle)), size_(size), etag_(std::move(etag)) {}
  std::uint64_t size() const override { return size_; }
  std::string etag() const override { return etag_; }
  std::size_t read_at(std::uint64_t offset, std::span<std::uint8_t> out) override {
    const auto got = ::pread(handle_.get(), out.data(), out.size(), static_cast<off_t>(offset));
    return got > 0 ? static_cast<std::size_t>(got) : 0;
  }
  bool blocks() const override { return false; }

 private:
  FileHandle handle_;
  std::uint64_t size_;
  std::string etag_;
};

/// The pace of one request body. All of it must arrive within request_timeout, each read within
/// body_read_timeout, and over every min_body_rate_window at least min_body_rate bytes a second
/// (a client trickling a body would otherwise hold a connection and a handler for as long as it
/// likes: the "slow POST" attack).
class BodyPace {
 public:
  explicit BodyPace(const ServerConfig& config)
      : config_(config), deadline_(Clock::now() + config.request_timeout), window_(Clock::now()) {}

  /// When the next read must have completed.
  Clock::time_point next_deadline() const {
    return std::min(Clock::now() + config_.body_read_timeout, deadline_);
  }
  /// Counts `bytes` just read; false when the body is too slow.
  bool record(std::size_t bytes) {
    const auto now = Clock::now();
    if (now >= deadline_) return false;
    window_bytes_ += bytes;
    const auto elapsed = now - window_;
    if (config_.min_body_rate > 0 && elapsed >= config_.min_body_rate_window) {
      const double seconds = std::chrono::duration<double>(elapsed).count();
      if (static_cast<double>(window_bytes_) < static_cast<double>(config_.min_body_rate) * seconds)
        return false;
      window_ = now;
      window_bytes_ = 0;
    }
    return true;
  }

 private:
  const ServerConfig& config_;
  Clock::time_point deadline_;
  Clock::time_point window_;
  std::uint64_t window_bytes_ = 0;
};

HttpError too_slow(const ServerConfig& config) {
  return HttpError(Status::request_timeout, "request_timeout",
                   "the request body arrived too slowly (it must come within " +
                       std::to_string(config.request_timeout.count() / 1000) +
                       " s, at no less than " + std::to_string(config.min_body_rate) +
                       " bytes a second)");
}

/// RFC 9112 section 6.1: a request's transfer codings must end in "chunked", or its body has no
/// knowable end; and Transfer-Encoding with Content-Length, or in HTTP/1.0, is refused as the
/// RFC advises. Reading on after such a header would let a second request hide in the body
/// (request smuggling): the caller answers 400 and closes.
std::optional<std::string> framing_problem(const RequestHeader& header, bool chunked) {
  if (header.count(Field::transfer_encoding) == 0) return std::nullopt;
  if (!chunked) return "Transfer-Encoding must end in chunked";
  if (header.count(Field::content_length) > 0)
    return "Transfer-Encoding and Content-Length together";
  if (header.version() < 11) return "Transfer-Encoding in an HTTP/1.0 request";
  return std::nullopt;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Request ids

std::string generate_request_id() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char HEX[] = "0123456789abcdef";
  std::string id(32, '0');
  for (std::size_t half = 0; half < 2; ++half) {
    auto bits = engine();
    for (std::size_t i = 0; i < 16; ++i, bits >>= 4) id[half * 16 + i] = HEX[bits & 0xf];
  }
  return id;
}

std::function<void(std::exception_ptr)> log_escape(std::shared_ptr<spdlog::logger> log,
                                                   std::string coroutine) {
  return [log = std::move(log), coroutine = std::move(coroutine)](std::exception_ptr error) {
    if (!error) return;
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log->error(
        nlohmann::json{{"type", "coroutine_error"}, {"coroutine", coroutine}, {"error", what}}.dump(
            -1, ' ', false, nlohmann::json::error_handler_t::replace));
  };
}

bool is_sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// ServerContext

ServerContext::ServerContext(ServerConfig config_in, Router router_in)
    : config(std::move(config_in)),
      router(std::move(router_in)),
      blocking(config.blocking_threads),
      log(config.access_log ? config.access_log : spdlog::default_logger()) {}

ServerContext::Admit ServerContext::admit(const std::string& address) {
  // Health checks must get through when a client has taken every connection; a few extra
  // connections are read for them, never many (each costs a socket and a coroutine).
  const std::size_t limited_room = config.max_connections / 8 + 16;
  std::lock_guard lock(sessions_mutex);
  const auto it = per_address.find(address);
  const std::size_t mine = it == per_address.end() ? 0 : it->second;
  if (admitted < config.max_connections && mine < config.max_connections_per_address) {
    return Admit::admitted;
  }
  return limited < limited_room ? Admit::limited : Admit::rejected;
}

void ServerContext::add_session(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(sessions_mutex);
  sessions.emplace(session.get(), session);
  if (session->limited()) {
    ++limited;
  } else {
    ++admitted;
    ++per_address[session->address()];
  }
}

void ServerContext::remove_session(Session* session) {
  std::lock_guard lock(sessions_mutex);
  if (sessions.erase(session) == 0) return;
  if (session->limited()) {
    --limited;
    return;
  }
  --admitted;
  const auto it = per_address.find(session->address());
  if (it != per_address.end() && --it->second == 0) per_address.erase(it);
}

std::size_t ServerContext::session_count() {
  std::lock_guard lock(sessions_mutex);
  return sessions.size();
}

void ServerContext::stop_sessions(bool force) {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(sessions_mutex);
    for (auto& [raw, weak] : sessions) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  for (auto& session : live) {
    if (force) {
      session->force_close();
    } else {
      session->request_stop();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Streaming body reader

namespace {

class StreamingBodyReader final : public BodyReader {
 public:
  StreamingBodyReader(Session& session, bhttp::request_parser<bhttp::empty_body>&& header_parser,
                      std::uint64_t limit, bool expect_continue)
      : session_(session),
        content_length_(header_parser.chunked() ? std::nullopt
                                                : declared_length(header_parser.get())),
        parser_(std::move(header_parser)),
        limit_(limit),
        expect_continue_(expect_continue),
        chunk_(READ_CHUNK),
        pace_(session.config()) {
    // Beast checks a Content-Length against the limit only while parsing the header (done
    // already, by the caller, before this reader exists); chunked bodies are checked here.
    parser_.body_limit(limit);
  }

  net::awaitable<std::optional<std::string_view>> read_some() override {
    if (parser_.is_done()) co_return std::nullopt;
    if (failure_) std::rethrow_exception(failure_);
    if (expect_continue_) {
      expect_continue_ = false;
      co_await session_.write_continue();
    }
    for (;;) {
      auto& body = parser_.get().body();
      body.data = chunk_.data();
      body.size = chunk_.size();
      session_.stream().expires_at(pace_.next_deadline());
      error_code ec;
      co_await bhttp::async_read_some(session_.stream(), session_.buffer(), parser_, capture(ec));
      if (ec == bhttp::error::need_buffer) ec = {};  // our chunk is full: hand it out
      if (ec) fail(ec);
      const std::size_t got = chunk_.size() - parser_.get().body().size;
      if (!pace_.record(got)) fail_slow();
      bytes_ += got;
      if (got > 0) co_return std::string_view(chunk_.data(), got);
      if (parser_.is_done()) co_return std::nullopt;
    }
  }

  std::uint64_t bytes_read() const override { return bytes_; }
  bool done() const override { return parser_.is_done(); }
  std::optional<std::uint64_t> content_length() const override { return content_length_; }
  std::uint64_t limit() const override { return limit_; }
  bool broken() const { return broken_; }

 private:
  [[noreturn]] void fail_slow() {
    failure_ = std::make_exception_ptr(too_slow(session_.config()));
    std::rethrow_exception(failure_);
  }

  [[noreturn]] void fail(const error_code& ec) {
    try {
      if (ec == bhttp::error::body_limit) {
        throw HttpError(Status::payload_too_large, "payload_too_large",
                        "the request body is larger than " + std::to_string(limit_) + " bytes");
      }
      if (is_connection_error(ec)) {
        broken_ = true;
        throw BodyReadError(ec);
      }
      throw HttpError(Status::bad_request, "bad_request",
                      "malformed request body: " + ec.message());
    } catch (...) {
      failure_ = std::current_exception();  // a second read_some fails the same way
      throw;
    }
  }

  Session& session_;
  std::optional<std::uint64_t> content_length_;
  bhttp::request_parser<bhttp::buffer_body> parser_;
  std::uint64_t limit_;
  bool expect_continue_;
  std::vector<char> chunk_;
  std::uint64_t bytes_ = 0;
  bool broken_ = false;
  std::exception_ptr failure_;
  BodyPace pace_;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Session

/// The state of one request/response exchange, for the response writers and the log.
struct Session::Exchange {
  Clock::time_point started = Clock::now();
  std::string request_id;
  std::string method = "OTHER";
  std::string route;  // empty until a route matched
  std::string path;
  unsigned version = 11;
  bool head = false;
  bool keep_alive = false;
  const RequestHeader* header = nullptr;  // the request's header, for conditional/range requests
  unsigned status = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
};

Session::Session(ServerContext& server, tcp::socket socket, std::string address, bool limited)
    : server_(server),
      executor_(socket.get_executor()),
      stream_(std::move(socket)),
      address_(std::move(address)),
      limited_(limited),
      accepted_at_(Clock::now()) {
  error_code ec;
  remote_ = stream_.socket().remote_endpoint(ec);
  server_.metrics.connection_opened();
}

Session::~Session() {
  server_.metrics.connection_closed();
}

void Session::request_stop() {
  net::post(executor_, [self = shared_from_this()] { self->on_stop(false); });
}

void Session::force_close() {
  net::post(executor_, [self = shared_from_this()] { self->on_stop(true); });
}

void Session::on_stop(bool force) {
  stop_requested_ = true;
  if (channel_) channel_->close();
  if (force) {
    stream_.close();
  } else if (phase_ == Phase::idle) {
    stream_.cancel();  // waiting for a next request that need not come
  }
}

net::awaitable<void> Session::run() {
  const auto self = shared_from_this();  // alive until the loop ends, whatever else lets go
  // Leaves the registry however the coroutine ends: returns, throws, or is destroyed unfinished
  // with the io_context. A stale entry would make stop() wait out its whole deadline.
  struct Deregister {
    ServerContext& server;
    Session* session;
    ~Deregister() { server.remove_session(session); }
  } deregister{server_, this};
  bool first = true;
  while (!stop_requested_ && !server_.stopping) {
    // Wait for the first byte of the next request: the idle phase, which stop() may cut short.
    phase_ = Phase::idle;
    if (buffer_.size() == 0) {
      stream_.expires_at(first ? accepted_at_ + server_.config.header_timeout
                               : Clock::now() + server_.config.idle_timeout);
      error_code ec;
      const auto n = co_await stream_.async_read_some(buffer_.prepare(READ_CHUNK), capture(ec));
      if (ec) break;
      buffer_.commit(n);
    }
    phase_ = Phase::reading;
    const auto header_deadline =
        (first ? accepted_at_ : Clock::now()) + server_.config.header_timeout;
    first = false;
    if (!co_await serve_one(header_deadline)) break;
  }
  co_await close_connection();
}

net::awaitable<bool> Session::serve_one(Clock::time_point header_deadline) {
  Exchange exchange;
  bhttp::request_parser<bhttp::empty_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(server_.config.max_header_bytes));
  // Checked against the route's limit once routed. Not boost::none: Beast 1.74 compares a
  // Content-Length with the optional, and any number is greater than an empty one.
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());

  // Slow-loris guard: the whole header must arrive before one fixed deadline.
  stream_.expires_at(header_deadline);
  error_code ec;
  co_await bhttp::async_read_header(stream_, buffer_, parser, capture(ec));
  if (ec) {
    exchange.request_id = generate_request_id();
    Response response;
    if (ec == bhttp::error::header_limit) {
      response = Response::error(Status::request_header_fields_too_large, "header_too_large",
                                 "the request header is larger than " +
                                     std::to_string(server_.config.max_header_bytes) + " bytes");
    } else if (is_connection_error(ec)) {
      co_return false;  // gone, or too slow: nothing to answer
    } else {
      response =
          Response::error(Status::bad_request, "bad_request", "malformed request: " + ec.message());
    }
    unread_input_ = true;
    co_await write_response(exchange, response);
    co_return false;
  }

  auto& header = parser.get();
  exchange.header = &header;
  exchange.method = method_label(header);
  exchange.version = header.version();
  exchange.head = header.method() == Verb::head;
  exchange.keep_alive = header.keep_alive() && !stop_requested_ && !server_.stopping;
  const auto client_id = to_std(header["X-Request-Id"]);
  exchange.request_id =
      is_sane_request_id(client_id) ? std::string(client_id) : generate_request_id();
  const bool has_body = !parser.is_done();

  const auto answer = [&](Response response) -> net::awaitable<bool> {
    if (has_body) {  // the body stays unread: this connection cannot carry another request
      exchange.keep_alive = false;
      unread_input_ = true;
    }
    co_await write_response(exchange, response);
    co_return exchange.keep_alive;
  };
  // A framing error leaves the rest of the bytes meaningless: answer, then close.
  const auto refuse_framing = [&](Response response) -> net::awaitable<bool> {
    exchange.keep_alive = false;
    unread_input_ = true;
    co_await write_response(exchange, response);
    co_return false;
  };

  if (const auto problem = framing_problem(header, parser.chunked())) {
    co_return co_await refuse_framing(
        Response::error(Status::bad_request, "bad_request", *problem, "Transfer-Encoding"));
  }
  // A connection let in past the limits answers health checks only, and only once.
  if (limited_) exchange.keep_alive = false;

  const auto target = split_target(to_std(header.target()));
  if (!target) {
    co_return co_await answer(Response::error(Status::bad_request, "bad_request",
                                              "the request target must start with /"));
  }
  exchange.path = std::string(target->path);
  auto query = QueryParams::parse(target->query);
  if (!query) {
    co_return co_await answer(Response::error(Status::bad_request, "invalid_query",
                                              "malformed percent-escape in the query string"));
  }
  auto match = server_.router.match(header.method(), target->path);
  if (limited_ &&
      (match.kind != Router::Match::Kind::found ||
       std::find(server_.config.always_answer.begin(), server_.config.always_answer.end(),
                 match.route->pattern) == server_.config.always_answer.end())) {
    auto response = Response::error(Status::service_unavailable, "unavailable",
                                    "the server is at its connection limit; retry shortly");
    response.set(Field::retry_after, "1");
    co_return co_await answer(std::move(response));
  }
  switch (match.kind) {
    case Router::Match::Kind::bad_path:
      co_return co_await answer(Response::error(Status::bad_request, "bad_request",
                                                "malformed percent-escape in the path"));
    case Router::Match::Kind::not_found:
      co_return co_await answer(Response::error(
          Status::not_found, "not_found", "no route for " + exchange.method + " " + exchange.path));
    case Router::Match::Kind::method_not_allowed: {
      auto response = Response::error(Status::method_not_allowed, "method_not_allowed",
                                      exchange.method + " is not allowed on " + exchange.path);
      response.set(Field::allow, match.allow);
      co_return co_await answer(std::move(response));
    }
    case Router::Match::Kind::found:
      break;
  }
  const auto& route = *match.route;
  exchange.route = route.pattern;

  const auto expect = to_std(header[Field::expect]);
  const bool expect_continue = iequals(expect, "100-continue") && header.version() >= 11;
  if (!expect.empty() && !iequals(expect, "100-continue")) {
    co_return co_await answer(Response::error(Status::expectation_failed, "expectation_failed",
                                              "only Expect: 100-continue is supported", "Expect"));
  }
  const auto limit = route.options.max_body_bytes.value_or(server_.config.max_body_bytes);
  if (const auto length = declared_length(header); length && *length > limit) {
    co_return co_await answer(
        Response::error(Status::payload_too_large, "payload_too_large",
                        "the request body is larger than " + std::to_string(limit) + " bytes"));
  }

  Request::Parts parts;
  parts.header = header;  // a copy: the parser moves on into the body
  parts.path = exchange.path;
  parts.route_pattern = route.pattern;
  parts.params = std::move(match.params);
  parts.query = std::move(*query);
  parts.request_id = exchange.request_id;
  parts.executor = executor_;
  parts.blocking = &server_.blocking;
  parts.remote = remote_;
  Request request(std::move(parts));

  // Who may send a body is decided before a byte of it is read (or "100 Continue" invites it).
  if (route.options.admit) {
    std::optional<Response> refusal;
    try {
      route.options.admit(request);
    } catch (const HttpError& error) {
      refusal = Response::error(error);
    }
    if (refusal) co_return co_await answer(std::move(*refusal));
  }

  std::unique_ptr<StreamingBodyReader> reader;
  if (route.options.body == BodyMode::streaming) {
    reader =
        std::make_unique<StreamingBodyReader>(*this, std::move(parser), limit, expect_continue);
    request.attach_reader(reader.get());
  } else if (has_body) {
    if (expect_continue) {
      error_code write_ec;
      co_await write_continue_raw(write_ec);
      if (write_ec) co_return false;
    }
    bhttp::request_parser<bhttp::string_body> body_parser(std::move(parser));
    body_parser.body_limit(limit);
    // A buffered body is small (JSON, a form), read in steps so that its pace is checked too.
    BodyPace pace(server_.config);
    error_code body_ec;
    std::uint64_t before = 0;
    while (!body_ec && !body_parser.is_done()) {
      stream_.expires_at(pace.next_deadline());
      co_await bhttp::async_read_some(stream_, buffer_, body_parser, capture(body_ec));
      const std::uint64_t now_read = body_parser.get().body().size();
      if (!body_ec && !pace.record(static_cast<std::size_t>(now_read - before))) {
        co_return co_await refuse_framing(Response::error(too_slow(server_.config)));
      }
      before = now_read;
    }
    if (body_ec == bhttp::error::body_limit) {
      co_return co_await answer(
          Response::error(Status::payload_too_large, "payload_too_large",
                          "the request body is larger than " + std::to_string(limit) + " bytes"));
    }
    if (body_ec && is_connection_error(body_ec)) {
      exchange.status = body_ec == beast::error::timeout ? 408 : 400;
      finish(exchange);
      co_return false;
    }
    if (body_ec) {
      co_return co_await refuse_framing(Response::error(
          Status::bad_request, "bad_request", "malformed request body: " + body_ec.message()));
    }
    exchange.bytes_in = body_parser.get().body().size();
    request.set_body(std::move(body_parser.get().body()));
  }

  exchange.header = &request.header();
  phase_ = Phase::handling;
  Response response;
  bool connection_broken = false;
  try {
    response = co_await route.handler(request);
  } catch (const HttpError& error) {
    response = Response::error(error);
  } catch (const BodyReadError& error) {
    connection_broken = true;
    exchange.status = error.timed_out() ? 408 : 400;
  } catch (const std::exception& error) {
    server_.log->error(nlohmann::json{
        {"type", "handler_error"},
        {"request_id", exchange.request_id},
        {"route", exchange.route},
        {"error",
         error.what()}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    response = Response::error(Status::internal_server_error, "internal", "internal server error");
  } catch (...) {
    server_.log->error(nlohmann::json{{"type", "handler_error"},
                                      {"request_id", exchange.request_id},
                                      {"route", exchange.route},
                                      {"error", "unknown exception"}}
                           .dump());
    response = Response::error(Status::internal_server_error, "internal", "internal server error");
  }
  if (reader) {
    exchange.bytes_in = reader->bytes_read();
    connection_broken = connection_broken || reader->broken();
    if (!reader->done()) {  // the handler stopped early (an error, say): the rest is unread
      exchange.keep_alive = false;
      unread_input_ = true;
    }
  }
  if (connection_broken) {
    if (exchange.status == 0) exchange.status = 400;
    finish(exchange);
    co_return false;
  }
  if (stop_requested_ || server_.stopping) exchange.keep_alive = false;
  co_await write_response(exchange, response);
  co_return exchange.keep_alive;
}

net::awaitable<void> Session::write_continue() {
  error_code ec;
  co_await write_continue_raw(ec);
  if (ec) throw BodyReadError(ec);
}

net::awaitable<void> Session::write_continue_raw(error_code& ec) {
  static constexpr std::string_view CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n";
  stream_.expires_after(server_.config.write_timeout);
  co_await net::async_write(stream_, net::buffer(CONTINUE.data(), CONTINUE.size()), capture(ec));
}

net::awaitable<void> Session::write_response(Exchange& exchange, Response& response) {
  response.set("X-Request-Id", exchange.request_id);
  if (response.file_body() != nullptr) {
    co_await write_file(exchange, response);
  } else if (const auto* streamed = response.stream_body()) {
    co_await write_source(exchange, response, *streamed->source, streamed->content_type);
  } else if (response.sse_body() != nullptr) {
    co_await write_events(exchange, response);
  } else {
    co_await write_memory(exchange, response);
  }
  finish(exchange);
}

net::awaitable<void> Session::write_memory(Exchange& exchange, Response& response) {
  bhttp::response<bhttp::string_body> message;
  static_cast<Fields&>(message.base()) = response.headers();
  message.result(response.status());
  message.version(exchange.version);
  const auto code = static_cast<unsigned>(response.status());
  const bool no_body = (code >= 100 && code < 200) || code == 204 || code == 304;
  if (!no_body) message.body() = std::move(*response.body());
  message.keep_alive(exchange.keep_alive);
  message.prepare_payload();
  exchange.status = code;

  stream_.expires_after(server_.config.write_timeout);
  error_code ec;
  if (exchange.head) {
    bhttp::response_serializer<bhttp::string_body> serializer(message);
    co_await bhttp::async_write_header(stream_, serializer, capture(ec));
  } else {
    co_await bhttp::async_write(stream_, message, capture(ec));
    if (!ec) exchange.bytes_out = message.body().size();
  }
  if (ec) exchange.keep_alive = false;
}

net::awaitable<void> Session::write_file(Exchange& exchange, Response& response) {
  const FileBody file = *response.file_body();
  int open_error = 0;
  auto handle = open_file(file.path, open_error);
  struct stat info {};
  if (handle && (::fstat(handle.get(), &info) != 0 || !S_ISREG(info.st_mode))) open_error = ENOENT;
  if (!handle || open_error != 0) {
    Response error =
        open_error == ENOENT || open_error == ENOTDIR
            ? Response::error(Status::not_found, "not_found", "no such file")
            : Response::error(Status::internal_server_error, "internal", "the file cannot be read");
    if (open_error != ENOENT && open_error != ENOTDIR) {
      server_.log->error(nlohmann::json{
          {"type", "file_error"},
          {"request_id", exchange.request_id},
          {"path", file.path.string()},
          {"errno",
           open_error}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    error.set("X-Request-Id", exchange.request_id);
    co_await write_memory(exchange, error);
    co_return;
  }
  const auto size = static_cast<std::uint64_t>(info.st_size);
  std::string etag = file.etag;
  if (etag.empty()) {
    etag = file_etag(size, std::chrono::seconds(info.st_mtim.tv_sec) +
                               std::chrono::nanoseconds(info.st_mtim.tv_nsec));
  }
  const auto source = std::make_shared<FileSource>(std::move(handle), size, std::move(etag));
  co_await write_source(exchange, response, *source, file.content_type);
}

net::awaitable<void> Session::write_source(Exchange& exchange, Response& response,
                                           ByteSource& source, const std::string& content_type) {
  const std::uint64_t size = source.size();
  const std::string etag = source.etag();
  const auto header_value = [&](Field name) {
    const auto it = exchange.header->find(name);
    return it == exchange.header->end() ? std::string_view{} : to_std(it->value());
  };

  bhttp::response<bhttp::empty_body> message;
  static_cast<Fields&>(message.base()) = response.headers();
  message.version(exchange.version);
  message.keep_alive(exchange.keep_alive);
  if (!content_type.empty()) message.set(Field::content_type, to_beast(content_type));
  if (!etag.empty()) message.set(Field::etag, to_beast(etag));
  message.set(Field::accept_ranges, "bytes");

  ByteRange range{0, size == 0 ? 0 : size - 1};
  std::uint64_t length = size;
  const auto if_none_match = header_value(Field::if_none_match);
  if (!if_none_match.empty() && !etag.empty() && etag_matches(if_none_match, etag)) {
    message.result(Status::not_modified);
    length = 0;
  } else {
    auto wanted = parse_range(header_value(Field::range), size);
    // If-Range: the client's copy is stale, so a part of the new bytes would not fit it.
    const auto if_range = header_value(Field::if_range);
    if (!if_range.empty() && (etag.empty() || if_range != etag))
      wanted.kind = RangeRequest::Kind::none;
    switch (wanted.kind) {
      case RangeRequest::Kind::none:
        message.result(response.status());
        break;
      case RangeRequest::Kind::satisfiable:
        message.result(Status::partial_content);
        range = wanted.range;
        length = range.length();
        message.set(Field::content_range, "bytes " + std::to_string(range.first) + "-" +
                                              std::to_string(range.last) + "/" +
                                              std::to_string(size));
        break;
      case RangeRequest::Kind::unsatisfiable: {
        auto error = Response::error(
            Status::range_not_satisfiable, "range_not_satisfiable",
            "the range is outside the " + std::to_string(size) + " bytes of the file", "Range");
        error.set(Field::content_range, "bytes */" + std::to_string(size));
        error.set("X-Request-Id", exchange.request_id);
        co_await write_memory(exchange, error);
        co_return;
      }
    }
  }
  exchange.status = static_cast<unsigned>(message.result());
  if (message.result() != Status::not_modified) message.content_length(length);

  stream_.expires_after(server_.config.write_timeout);
  error_code ec;
  bhttp::response_serializer<bhttp::empty_body> serializer(message);
  co_await bhttp::async_write_header(stream_, serializer, capture(ec));
  if (ec || exchange.head || message.result() == Status::not_modified) {
    if (ec) exchange.keep_alive = false;
    co_return;
  }

  // The bytes go out as they are read: memory stays at one chunk whatever the size.
  std::vector<std::uint8_t> chunk(
      static_cast<std::size_t>(std::min<std::uint64_t>(FILE_CHUNK, length)));
  std::uint64_t offset = range.first;
  std::uint64_t left = length;
  while (left > 0) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), left));
    const std::span<std::uint8_t> out(chunk.data(), want);
    std::size_t got = 0;
    std::string failure;
    try {
      // (No co_await inside a conditional expression: GCC 12 miscompiles that in coroutines.)
      if (source.blocks()) {
        // Captures by reference only: GCC 12 destroys by-value captures of a lambda temporary
        // in a co_await expression twice.
        got = co_await server_.blocking.run([&] { return source.read_at(offset, out); });
      } else {
        got = source.read_at(offset, out);
      }
      if (got == 0) failure = "the body is shorter than announced";
    } catch (const std::exception& e) {
      failure = e.what();
    }
    if (!failure.empty()) {
      // The promised length cannot be kept: the connection ends, so the client sees a short body.
      server_.log->error(nlohmann::json{
          {"type", "body_error"},
          {"request_id", exchange.request_id},
          {"error", failure}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      exchange.keep_alive = false;
      stream_.close();
      co_return;
    }
    stream_.expires_after(server_.config.write_timeout);
    co_await net::async_write(stream_, net::buffer(chunk.data(), got), capture(ec));
    if (ec) {
      exchange.keep_alive = false;
      co_return;
    }
    exchange.bytes_out += got;
    offset += got;
    left -= got;
  }
}

net::awaitable<void> Session::write_events(Exchange& exchange, Response& response) {
  const SseBody body = *response.sse_body();
  exchange.keep_alive = false;  // the stream ends with the connection
  if (!body.channel) {
    auto error = Response::error(Status::internal_server_error, "internal", "no event source");
    error.set("X-Request-Id", exchange.request_id);
    co_await write_memory(exchange, error);
    co_return;
  }
  const bool chunked = exchange.version >= 11;

  bhttp::response<bhttp::empty_body> message;
  static_cast<Fields&>(message.base()) = response.headers();
  message.result(response.status());
  message.version(exchange.version);
  message.set(Field::content_type, "text/event-stream; charset=utf-8");
  message.set(Field::cache_control, "no-cache");
  message.set("X-Accel-Buffering", "no");  // nginx: pass each event on at once
  if (chunked) {
    message.chunked(true);
  } else {
    message.keep_alive(false);  // HTTP/1.0: the body ends when the connection does
  }
  exchange.status = static_cast<unsigned>(message.result());

  stream_.expires_after(server_.config.write_timeout);
  error_code ec;
  bhttp::response_serializer<bhttp::empty_body> serializer(message);
  co_await bhttp::async_write_header(stream_, serializer, capture(ec));
  if (ec || exchange.head) {
    body.channel->close();
    co_return;
  }

  server_.metrics.sse_opened();
  // However this stream ends (or its frame is destroyed with the io_context), the channel lets go
  // of this connection's timer and strand: the producers keeping the channel may outlive both.
  struct Release {
    ServerMetrics& metrics;
    std::shared_ptr<EventChannel> channel;
    ~Release() {
      channel->release();
      metrics.sse_closed();
    }
  } release{server_.metrics, body.channel};
  phase_ = Phase::streaming;
  channel_ = body.channel;
  if (stop_requested_ || server_.stopping) channel_->close();
  // A read pending for the whole stream notices at once when the client leaves, instead of at
  // the next failed heartbeat write (two heartbeats later, with TCP's buffering).
  stream_.expires_never();
  net::co_spawn(executor_, watch_peer(body.channel), log_escape(server_.log, "sse_watch"));

  const auto heartbeat = body.heartbeat.value_or(server_.config.sse_heartbeat);
  bool open = co_await write_sse_bytes(
      exchange, format_sse_retry(body.retry.value_or(server_.config.sse_retry)), chunked);
  // A stream ends cleanly after its lifetime; the client reconnects with Last-Event-ID.
  const auto ends_at = Clock::now() + server_.config.sse_max_lifetime;
  while (open && !peer_gone_) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(ends_at - Clock::now());
    if (left.count() <= 0) body.channel->close();
    auto next = co_await body.channel->next(std::max(
        std::chrono::milliseconds(1), std::min<std::chrono::milliseconds>(heartbeat, left)));
    if (peer_gone_) break;
    switch (next.kind) {
      case EventChannel::Next::Kind::event: {
        // A burst (many images finishing together) goes out in one write, not one per event.
        auto bytes = format_sse_event(next.event);
        while (bytes.size() < SSE_BATCH_BYTES) {
          auto more = body.channel->try_next();
          if (!more) break;
          bytes += format_sse_event(*more);
        }
        open = co_await write_sse_bytes(exchange, bytes, chunked);
        break;
      }
      case EventChannel::Next::Kind::heartbeat:
        open = co_await write_sse_bytes(exchange, format_sse_comment("heartbeat"), chunked);
        break;
      case EventChannel::Next::Kind::closed:
        open = false;
        if (chunked) {  // a clean end: the last chunk tells the client nothing was lost
          stream_.expires_after(server_.config.write_timeout);
          co_await net::async_write(stream_, bhttp::make_chunk_last(), capture(ec));
        }
        break;
    }
  }
  channel_.reset();
  phase_ = Phase::handling;
}

net::awaitable<bool> Session::write_sse_bytes(Exchange& exchange, const std::string& bytes,
                                              bool chunked) {
  stream_.expires_after(server_.config.write_timeout);
  error_code ec;
  if (chunked) {
    co_await net::async_write(stream_, bhttp::make_chunk(net::buffer(bytes)), capture(ec));
  } else {
    co_await net::async_write(stream_, net::buffer(bytes), capture(ec));
  }
  if (ec) co_return false;
  exchange.bytes_out += bytes.size();
  co_return true;
}

net::awaitable<void> Session::watch_peer(std::shared_ptr<EventChannel> channel) {
  const auto self = shared_from_this();
  std::array<char, 512> scratch{};
  for (;;) {
    error_code ec;
    co_await stream_.async_read_some(net::buffer(scratch), capture(ec));
    if (ec) break;  // a client sends nothing on an event stream; whatever it sends is dropped
  }
  peer_gone_ = true;
  channel->close();  // wakes the writer
}

net::awaitable<void> Session::close_connection() {
  error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (unread_input_ && stream_.socket().is_open()) {
    // The client may still be sending a body we refused: read it away for a moment, or the
    // kernel answers its bytes with a reset that can destroy our response before it is read.
    stream_.expires_after(LINGER_TIME);
    std::vector<char> scratch(READ_CHUNK);
    while (!ec) co_await stream_.async_read_some(net::buffer(scratch), capture(ec));
  }
  stream_.close();
}

void Session::finish(Exchange& exchange) {
  RequestRecord record;
  record.request_id = exchange.request_id;
  record.method = exchange.method;
  record.route = exchange.route;
  record.path = exchange.path;
  record.status = exchange.status;
  record.duration = Clock::now() - exchange.started;
  record.bytes_in = exchange.bytes_in;
  record.bytes_out = exchange.bytes_out;
  // Logged before counted: whoever sees the count (a /metrics scrape, a test) finds the line too.
  server_.log->info(access_log_line(record));
  server_.metrics.record(record);
  if (server_.config.on_request) {
    try {
      server_.config.on_request(record);
    } catch (const std::exception& error) {
      server_.log->error(R"({{"type":"on_request_error","error":{}}})",
                         nlohmann::json(error.what()).dump());
    }
  }
}

}  // namespace imagesprint::http::detail
