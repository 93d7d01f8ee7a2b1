// One connection: read a request, route it, handle it, write the response; again until the
// connection ends. The responses are written by session_responses.cpp, event streams by
// session_events.cpp.
#include "adapters/http/server_session.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <algorithm>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/range/iterator_range.hpp>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <vector>

#include "adapters/http/body_pace.hpp"
#include "adapters/http/file_source.hpp"
#include "adapters/http/http_error.hpp"
#include "adapters/http/query_names.hpp"
#include "adapters/http/request.hpp"
#include "adapters/http/request_framing.hpp"
#include "adapters/http/session_io.hpp"
#include "adapters/http/streaming_body_reader.hpp"
#include "adapters/http/url.hpp"
#include "ports/storage_error.hpp"

namespace imagesprint::http::detail {
namespace {

/// Retry-After of the 503 a storage failure answers: long enough for a database or Redis to come
/// back from a restart (the fault tests see about a second), short enough for a client to try
/// again.
constexpr int STORAGE_RETRY_AFTER_SECONDS = 5;

}  // namespace

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
    const bool again = co_await serve_one(header_deadline);
    if (pending_stream_) {  // an event stream: the connection ends with it
      const auto pending = std::move(pending_stream_);
      co_await write_response(pending->exchange, pending->response);
      break;
    }
    if (!again) break;
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
  if (const auto field = repeated_field(header)) {
    co_return co_await refuse_framing(Response::error(
        Status::bad_request, "bad_request",
        std::string(*field) + ": given on more than one header line", std::string(*field)));
  }
  if (header.version() >= 11 && header.count(Field::host) == 0) {  // RFC 9112 3.2: a MUST
    co_return co_await refuse_framing(Response::error(
        Status::bad_request, "bad_request", "Host: an HTTP/1.1 request must name it", "Host"));
  }
  // A list on several lines is one list (RFC 9110 5.3): the language is read from all of it.
  if (header.count(Field::accept_language) > 1) {
    std::string languages;
    for (const auto& line :
         boost::make_iterator_range(header.equal_range(Field::accept_language))) {
      if (!languages.empty()) languages += ", ";
      languages += to_std(line.value());
    }
    header.set(Field::accept_language, languages);
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
  exchange.route_options = &route.options;

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
  parts.stopping = &server_.stopping;
  parts.remote = remote_;
  if (server_.trusted_proxies.empty()) {
    parts.client_address = remote_.address().to_string();
  } else {
    // Every X-Forwarded-For line, in order, as one list (RFC 9110 5.3): a proxy may add its own
    // line after one the client sent, and the client's must stay on the left.
    std::string forwarded;
    for (const auto& field : boost::make_iterator_range(header.equal_range("X-Forwarded-For"))) {
      if (!forwarded.empty()) forwarded += ',';
      forwarded += to_std(field.value());
    }
    parts.client_address = server_.trusted_proxies.client_address(remote_.address(), forwarded);
  }
  Request request(std::move(parts));

  // Who may send a body, and with which query, is decided before a byte of it is read (or
  // "100 Continue" invites it).
  {
    std::optional<Response> refusal;
    try {
      if (route.options.admit) route.options.admit(request);
      check_query_names(request.query(), route.options.query);
    } catch (...) {  // an HttpError, or the sign-in's store failing (a 503, as in a handler)
      refusal = failure_response(exchange, std::current_exception());
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
  auto handled = co_await handle(route, request, exchange);
  bool connection_broken = !handled.has_value();
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
  if (handled->sse_body() != nullptr) {  // run() streams it, without this frame
    exchange.header = nullptr;           // the request's header goes with this frame
    pending_stream_ = std::make_unique<PendingStream>(
        PendingStream{std::move(exchange), std::move(*handled), std::move(request)});
    co_return false;
  }
  co_await write_response(exchange, *handled);
  co_return exchange.keep_alive;
}

net::awaitable<std::optional<Response>> Session::handle(const Router::Route& route,
                                                        Request& request, Exchange& exchange) {
  // What a handler throws becomes its answer; only a connection that broke under it has none.
  std::exception_ptr failure;
  try {
    co_return co_await route.handler(request);
  } catch (const BodyReadError& error) {
    exchange.status = error.timed_out() ? 408 : 400;
    co_return std::nullopt;
  } catch (...) {
    failure = std::current_exception();
  }
  co_return failure_response(exchange, failure);
}

Response Session::failure_response(const Exchange& exchange,
                                   const std::exception_ptr& failure) const {
  try {
    std::rethrow_exception(failure);
  } catch (const HttpError& error) {
    return Response::error(error);
  } catch (const StorageError& error) {
    // The technology behind a store failed (disk full, a file-size limit, a database or Redis
    // that does not answer): the request may well succeed later, so 503 with Retry-After, as
    // for any other outage. The log keeps the cause; the client is not shown paths or hosts.
    log_handler_error(exchange, error.what());
    auto response = Response::error(Status::service_unavailable, "unavailable",
                                    "storage is unavailable right now; try again shortly");
    response.set(Field::retry_after, std::to_string(STORAGE_RETRY_AFTER_SECONDS));
    return response;
  } catch (const std::exception& error) {
    log_handler_error(exchange, error.what());
  } catch (...) {
    log_handler_error(exchange, "unknown exception");
  }
  return Response::error(Status::internal_server_error, "internal", "internal server error");
}

void Session::log_handler_error(const Exchange& exchange, const std::string& failure) const {
  server_.log->error(nlohmann::json{
      {"type", "handler_error"},
      {"request_id", exchange.request_id},
      {"route", exchange.route},
      {"error", failure}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
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
