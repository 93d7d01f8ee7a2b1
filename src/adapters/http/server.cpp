#include "adapters/http/server.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <algorithm>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <csignal>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "adapters/http/http_error.hpp"
#include "adapters/http/server_session.hpp"

namespace imagesprint::http {
namespace bhttp = boost::beast::http;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::chrono::milliseconds DRAIN_POLL{5};             // how often stop() checks for idle
constexpr std::chrono::milliseconds FORCED_CLOSE_GRACE{1000};  // after the terminal cancel
constexpr std::chrono::milliseconds ACCEPT_BACKOFF{50};        // after an accept error (EMFILE)
constexpr std::chrono::seconds REJECT_TIME{2};                 // a 503 connection's whole life

auto capture(error_code& ec) {
  return net::redirect_error(net::use_awaitable, ec);
}

std::string log_json(nlohmann::json line) {
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// Over max_connections: answer 503 without reading the request, and close.
net::awaitable<void> reject_connection(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  bhttp::response<bhttp::string_body> response{Status::service_unavailable, 11};
  response.set(Field::content_type, "application/json");
  response.set(Field::retry_after, "1");
  response.set("X-Request-Id", detail::generate_request_id());
  response.body() =
      error_json("unavailable", "the server is at its connection limit; retry shortly", "");
  response.keep_alive(false);
  response.prepare_payload();
  stream.expires_after(REJECT_TIME);  // one deadline for the write and the drain below
  error_code ec;
  co_await bhttp::async_write(stream, response, capture(ec));
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  // Read the unread request away until the client closes, so our answer is not reset.
  std::array<char, 4096> scratch{};
  while (!ec) co_await stream.async_read_some(net::buffer(scratch), capture(ec));
  stream.close();
}

std::size_t io_threads(const ServerConfig& config) {
  return config.threads != 0 ? config.threads : std::max(1u, std::thread::hardware_concurrency());
}

std::unique_ptr<detail::ServerContext> make_context(ServerConfig config, Router router) {
  refuse(config.validate());  // std::invalid_argument naming every bad setting
  return std::make_unique<detail::ServerContext>(std::move(config), std::move(router));
}

}  // namespace

HttpServer::HttpServer(ServerConfig config, Router router)
    : context_(make_context(std::move(config), std::move(router))),
      io_context_(static_cast<int>(io_threads(context_->config))),
      strand_(net::make_strand(io_context_)),
      acceptor_(strand_) {}

HttpServer::~HttpServer() {
  if (started_) {
    stop();
    wait();
  }
  // Blocking work posts its result back to the io_context: it must be done before that goes.
  context_->blocking.join();
}

void HttpServer::start() {
  if (started_) throw std::logic_error("HttpServer::start() called twice");
  const auto& config = context_->config;
  tcp::resolver resolver(io_context_);
  const auto results = resolver.resolve(config.host, std::to_string(config.port),
                                        tcp::resolver::passive | tcp::resolver::numeric_service);
  const tcp::endpoint endpoint = results.begin()->endpoint();
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
  endpoint_ = acceptor_.local_endpoint();

  net::co_spawn(strand_, accept_loop(), detail::log_escape(context_->log, "accept"));
  started_ = true;
  port_ = endpoint_.port();
  const auto count = io_threads(config);
  std::lock_guard lock(threads_mutex_);
  for (std::size_t i = 0; i < count; ++i) {
    threads_.emplace_back([this] {
      // Named, so that per-thread tools (top -H, perf sched, bench/sse_latency.py) tell the IO
      // threads apart from the workers and the blocking pool.
      ::pthread_setname_np(::pthread_self(), "http-io");
      run_thread();
    });
  }
  context_->log->info(log_json({{"type", "listening"},
                                {"address", endpoint_.address().to_string()},
                                {"port", port_.load()},
                                {"threads", count}}));
}

std::uint16_t HttpServer::port() const {
  return port_;
}

tcp::endpoint HttpServer::local_endpoint() const {
  return endpoint_;
}

void HttpServer::stop() {
  if (context_->stopping.exchange(true)) return;
  net::post(strand_, [this] { begin_shutdown(); });
}

void HttpServer::wait() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(threads_mutex_);
    threads.swap(threads_);
  }
  for (auto& thread : threads) {
    if (thread.joinable()) thread.join();
  }
}

int HttpServer::run_until_signal() {
  signals_ = std::make_unique<net::signal_set>(strand_, SIGINT, SIGTERM);
  signals_->async_wait([this](const error_code& ec, int signal) {
    if (ec) return;  // cancelled by a stop() from elsewhere
    received_signal_ = signal;
    context_->log->info(log_json({{"type", "signal"}, {"signal", signal}}));
    stop();
  });
  start();
  wait();
  return received_signal_;
}

bool HttpServer::stopping() const {
  return context_->stopping.load();
}

const ServerMetrics& HttpServer::metrics() const {
  return context_->metrics;
}

BlockingPool& HttpServer::blocking_pool() {
  return context_->blocking;
}

std::vector<RouteInfo> HttpServer::routes() const {
  return context_->router.routes();
}

std::size_t HttpServer::connection_count() const {
  return context_->session_count();
}

void HttpServer::run_thread() {
  for (;;) {
    try {
      io_context_.run();
      return;
    } catch (const std::exception& error) {
      // A handler threw through Asio: log it and keep this thread serving.
      context_->log->error(log_json({{"type", "io_thread_error"}, {"error", error.what()}}));
    }
  }
}

net::awaitable<void> HttpServer::accept_loop() {
  auto& context = *context_;
  for (;;) {
    // Each connection gets its own strand: its coroutine, its timers and the wake-ups that
    // producers post from other threads (EventChannel) never run at the same time.
    tcp::socket socket(net::make_strand(io_context_));
    error_code ec;
    co_await acceptor_.async_accept(socket, capture(ec));
    if (context.stopping || !acceptor_.is_open()) break;
    if (ec) {
      // Out of descriptors and the like: wait a little instead of spinning on the error.
      context.log->warn(log_json({{"type", "accept_error"}, {"error", ec.message()}}));
      net::steady_timer backoff(strand_, ACCEPT_BACKOFF);
      co_await backoff.async_wait(capture(ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    const auto executor = socket.get_executor();
    const auto remote = socket.remote_endpoint(ec);
    std::string address = ec ? std::string() : remote.address().to_string();
    const auto admit = context.admit(address);
    if (admit == detail::ServerContext::Admit::rejected) {
      context.metrics.connection_rejected();
      net::co_spawn(executor, reject_connection(std::move(socket)),
                    detail::log_escape(context.log, "reject"));
      continue;
    }
    if (admit == detail::ServerContext::Admit::limited) context.metrics.connection_rejected();
    auto session =
        std::make_shared<detail::Session>(context, std::move(socket), std::move(address),
                                          admit == detail::ServerContext::Admit::limited);
    context.add_session(session);
    // The lambda keeps the session alive for as long as its coroutine runs.
    net::co_spawn(
        executor, [session]() { return session->run(); },
        detail::log_escape(context.log, "session"));
  }
}

void HttpServer::begin_shutdown() {
  context_->log->info(log_json({{"type", "shutdown"},
                                {"connections", context_->session_count()},
                                {"deadline_ms", context_->config.shutdown_timeout.count()}}));
  error_code ec;
  acceptor_.close(ec);
  if (signals_) signals_->cancel(ec);
  context_->stop_sessions(false);
  net::co_spawn(strand_, drain(), detail::log_escape(context_->log, "drain"));
}

net::awaitable<void> HttpServer::drain() {
  net::steady_timer timer(strand_);
  error_code ec;
  const auto wait_until = [&](Clock::time_point deadline) -> net::awaitable<void> {
    while (context_->session_count() > 0 && Clock::now() < deadline) {
      timer.expires_after(DRAIN_POLL);
      co_await timer.async_wait(capture(ec));
    }
  };
  co_await wait_until(Clock::now() + context_->config.shutdown_timeout);
  if (const auto left = context_->session_count(); left > 0) {
    // The terminal cancel: what did not finish in time is cut off.
    context_->log->warn(log_json({{"type", "shutdown_forced"}, {"connections", left}}));
    context_->stop_sessions(true);
    co_await wait_until(Clock::now() + FORCED_CLOSE_GRACE);
  }
  io_context_.stop();
}

}  // namespace imagesprint::http
