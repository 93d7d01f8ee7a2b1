// Graceful shutdown: in-flight requests finish, idle connections close, the deadline cuts what
// hangs, and SIGTERM through run_until_signal() does all of it.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <spdlog/logger.h>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <future>
#include <thread>

#include "adapters/http/server.hpp"
#include "test_client.hpp"

namespace imagesprint::http {
namespace {

using namespace testing;
using namespace std::chrono_literals;

struct Probe {
  std::atomic<int> started{0};
  std::atomic<int> finished{0};
};

Router make_router(Probe& probe, std::chrono::milliseconds work) {
  Router router;
  router.get("/slow", [&probe, work](Request& request) -> net::awaitable<Response> {
    ++probe.started;
    co_await request.run_blocking([work] { std::this_thread::sleep_for(work); });
    ++probe.finished;
    co_return Response::text(Status::ok, "finished");
  });
  router.get("/hang", [&probe](Request&) -> net::awaitable<Response> {
    ++probe.started;
    net::steady_timer timer(co_await net::this_coro::executor, 60s);
    boost::system::error_code ec;
    co_await timer.async_wait(net::redirect_error(net::use_awaitable, ec));
    co_return Response::text(Status::ok, "too late");
  });
  router.get("/hello", [](Request&) -> net::awaitable<Response> {
    co_return Response::text(Status::ok, "hi");
  });
  return router;
}

TEST(HttpShutdown, RequestInFlightCompletes) {
  Probe probe;
  TestServer server(make_router(probe, 400ms));
  auto answer = std::async(std::launch::async, [port = server.port()] {
    Connection connection(port);
    return connection.roundtrip(make_request(Verb::get, "/slow"));
  });
  ASSERT_TRUE(eventually([&] { return probe.started.load() == 1; }));
  server.stop();  // stop() + wait(): returns once the request is done
  EXPECT_EQ(probe.finished.load(), 1);
  const auto response = answer.get();
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response.body(), "finished");
  EXPECT_FALSE(response.keep_alive());  // told not to come back on this connection
  EXPECT_THROW(Connection{server.port()}, std::runtime_error);  // no longer listening
}

TEST(HttpShutdown, IdleKeepAliveConnectionsCloseAtOnce) {
  Probe probe;
  auto config = test_config();
  // A stop() that waited out the idle timeout or the shutdown deadline would close this
  // connection after a minute, long after the bounded wait below gives up.
  config.idle_timeout = 60s;
  config.shutdown_timeout = 60s;
  TestServer server(make_router(probe, 0ms), config);
  Connection idle(server.port());
  EXPECT_EQ(idle.roundtrip(make_request(Verb::get, "/hello")).result(), Status::ok);
  std::thread stopping([&] { server.stop(); });
  EXPECT_TRUE(idle.closed_by_server(20s));
  stopping.join();
}

TEST(HttpShutdown, DeadlineCutsAHangingRequest) {
  Probe probe;
  auto config = test_config();
  config.shutdown_timeout = 200ms;
  TestServer server(make_router(probe, 0ms), config);
  Connection hanging(server.port());
  ASSERT_FALSE(hanging.send(make_request(Verb::get, "/hang")));
  ASSERT_TRUE(eventually([&] { return probe.started.load() == 1; }));
  // The handler never returns by itself: stop() returning at all is the deadline's doing.
  server.stop();
  EXPECT_TRUE(hanging.closed_by_server(3s));
}

TEST(HttpShutdown, SigtermStopsRunUntilSignal) {
  Probe probe;
  auto sink = std::make_shared<CaptureSink>();
  auto config = test_config();
  config.access_log = std::make_shared<spdlog::logger>("http-signal-test", sink);
  HttpServer server(config, make_router(probe, 300ms));
  auto result = std::async(std::launch::async, [&server] { return server.run_until_signal(); });
  ASSERT_TRUE(eventually([&] { return server.port() != 0; }));
  EXPECT_EQ(fetch(server.port(), Verb::get, "/hello").body(), "hi");

  auto in_flight = std::async(std::launch::async, [port = server.port()] {
    return Connection(port).roundtrip(make_request(Verb::get, "/slow"));
  });
  ASSERT_TRUE(eventually([&] { return probe.started.load() == 1; }));
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
  EXPECT_EQ(result.get(), SIGTERM);
  EXPECT_EQ(in_flight.get().body(), "finished");
}

}  // namespace
}  // namespace imagesprint::http
