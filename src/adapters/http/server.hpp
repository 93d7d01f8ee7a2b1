#pragma once
// The HTTP/1.1 server: Boost.Beast + Asio, one coroutine per connection, an io_context run by N
// threads. It knows routes, limits and wire formats, nothing about jobs or images.
//
//   Router router;
//   router.get("/healthz", [](Request&) -> net::awaitable<Response> {
//     co_return Response::json(Status::ok, {{"status", "ok"}});
//   });
//   HttpServer server(config, std::move(router));
//   server.run_until_signal();  // SIGINT/SIGTERM -> graceful stop
#include "adapters/http/http_types.hpp"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "adapters/http/blocking_pool.hpp"
#include "adapters/http/router.hpp"
#include "adapters/http/server_config.hpp"
#include "adapters/http/server_metrics.hpp"

namespace imagesprint::http {

namespace detail {
struct ServerContext;
}

class HttpServer {
 public:
  /// Validates `config` (std::invalid_argument naming the setting) and takes the routes.
  HttpServer(ServerConfig config, Router router);
  /// Stops (gracefully, within shutdown_timeout) and joins the threads if still running.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and listens (throws boost::system::system_error when the address is taken), then
  /// starts the IO threads and returns. Call once.
  void start();
  /// The bound port (the picked one when the config said 0); valid after start().
  std::uint16_t port() const;
  tcp::endpoint local_endpoint() const;

  /// Graceful shutdown, from any thread, an IO thread or a signal_set handler included; returns
  /// at once and is idempotent. Stops accepting, closes idle keep-alive connections, ends event
  /// streams, lets requests in flight finish until shutdown_timeout, then closes what is left
  /// and stops the io_context.
  void stop();
  /// Blocks until the IO threads have exited (after stop()). Never call from an IO thread.
  void wait();
  /// start(), then serve until SIGINT or SIGTERM arrives (or stop() is called), then shut down
  /// gracefully; returns the signal number, or 0 when stopped otherwise.
  int run_until_signal();

  bool stopping() const;
  const ServerMetrics& metrics() const;
  /// The pool behind Request::run_blocking, for work started outside a request.
  BlockingPool& blocking_pool();
  /// Every registered route (for the OpenAPI coverage check).
  std::vector<RouteInfo> routes() const;
  /// Connections open right now.
  std::size_t connection_count() const;
  /// The io_context the server runs (to spawn app-level coroutines or timers on it).
  net::io_context& io_context() { return io_context_; }

 private:
  net::awaitable<void> accept_loop();
  net::awaitable<void> drain();
  void begin_shutdown();
  void run_thread();

  // Declared first, destroyed last: sessions that the io_context destroys still report to it.
  std::unique_ptr<detail::ServerContext> context_;
  net::io_context io_context_;
  net::strand<net::io_context::executor_type> strand_;  // acceptor, signals, shutdown
  tcp::acceptor acceptor_;
  std::unique_ptr<net::signal_set> signals_;
  int received_signal_ = 0;
  std::atomic<std::uint16_t> port_{0};  // read by other threads while start() runs
  tcp::endpoint endpoint_;
  std::mutex threads_mutex_;
  std::vector<std::thread> threads_;
  bool started_ = false;
};

}  // namespace imagesprint::http
