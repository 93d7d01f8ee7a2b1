// Limits: header size (431), body size (413), slow clients, idle keep-alive, connection cap (503).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/http/http_error.hpp"
#include "adapters/http/server.hpp"
#include "test_client.hpp"

namespace imagesprint::http {
namespace {

using namespace testing;
using json = nlohmann::json;

constexpr std::uint64_t SMALL_LIMIT = 1024;

Router make_router(std::atomic<int>* streamed_calls = nullptr) {
  Router router;
  router.get("/hello", [](Request&) -> net::awaitable<Response> {
    co_return Response::text(Status::ok, "hi");
  });
  router.post("/small",
              [](Request& request) -> net::awaitable<Response> {
                co_return Response::text(Status::ok, std::to_string(request.body().size()));
              },
              {BodyMode::buffered, SMALL_LIMIT});
  router.post("/stream",
              [streamed_calls](Request& request) -> net::awaitable<Response> {
                if (streamed_calls) ++*streamed_calls;
                std::uint64_t total = 0;
                while (auto chunk = co_await request.body_reader().read_some())
                  total += chunk->size();
                co_return Response::text(Status::ok, std::to_string(total));
              },
              {BodyMode::streaming, SMALL_LIMIT});
  // Admits only requests with a key, before a byte of the body is read.
  router.post("/admitted",
              [](Request& request) -> net::awaitable<Response> {
                co_return Response::text(Status::ok, std::to_string(request.body().size()) + " " +
                                                         std::to_string(*request.principal()));
              },
              {BodyMode::buffered, SMALL_LIMIT, [](Request& request) {
                 if (request.header("X-Key") != "open sesame")
                   throw HttpError(Status::unauthorized, "unauthorized", "no key");
                 request.set_principal(42);
               }});
  return router;
}

void expect_error(const Message& response, Status status, std::string_view code) {
  EXPECT_EQ(response.result(), status);
  const auto body = json::parse(response.body(), nullptr, false);
  ASSERT_FALSE(body.is_discarded()) << response.body();
  EXPECT_EQ(body["error"]["code"], code);
}

TEST(HttpLimits, OversizedHeaderIs431) {
  auto config = test_config();
  config.max_header_bytes = 2048;
  TestServer server(make_router(), config);
  Connection connection(server.port());
  auto request = make_request(Verb::get, "/hello");
  request.set("X-Filler", std::string(4096, 'a'));
  const auto response = connection.roundtrip(request);
  expect_error(response, Status::request_header_fields_too_large, "header_too_large");
  EXPECT_TRUE(connection.closed_by_server(std::chrono::seconds(5)));
  // Under the limit is fine.
  auto small = make_request(Verb::get, "/hello");
  small.set("X-Filler", std::string(512, 'a'));
  EXPECT_EQ(Connection(server.port()).roundtrip(small).result(), Status::ok);
}

TEST(HttpLimits, BodyOverTheRouteLimitIs413) {
  TestServer server(make_router());
  EXPECT_EQ(fetch(server.port(), Verb::post, "/small", std::string(SMALL_LIMIT, 'x')).body(),
            std::to_string(SMALL_LIMIT));
  // Announced by Content-Length: refused before the body is read.
  expect_error(fetch(server.port(), Verb::post, "/small", std::string(64 * 1024, 'x')),
               Status::payload_too_large, "payload_too_large");
  // Chunked, so only counting finds it.
  Connection connection(server.port());
  auto request = make_request(Verb::post, "/small");
  request.body() = std::string(4 * SMALL_LIMIT, 'y');
  request.chunked(true);
  expect_error(connection.roundtrip(request), Status::payload_too_large, "payload_too_large");
}

TEST(HttpLimits, StreamingBodyOverTheLimitIs413) {
  std::atomic<int> calls{0};
  TestServer server(make_router(&calls));
  // Content-Length over the limit: the handler never runs.
  expect_error(fetch(server.port(), Verb::post, "/stream", std::string(4 * SMALL_LIMIT, 'x')),
               Status::payload_too_large, "payload_too_large");
  EXPECT_EQ(calls.load(), 0);
  // Chunked: the reader throws in the handler's loop, which the server turns into the 413.
  Connection connection(server.port());
  auto request = make_request(Verb::post, "/stream");
  request.body() = std::string(4 * SMALL_LIMIT, 'y');
  request.chunked(true);
  expect_error(connection.roundtrip(request), Status::payload_too_large, "payload_too_large");
  EXPECT_EQ(calls.load(), 1);
}

TEST(HttpLimits, SlowLorisIsCutOffAtTheHeaderDeadline) {
  auto config = test_config();
  config.header_timeout = std::chrono::milliseconds(500);
  TestServer server(make_router(), config);
  RawSocket slow(server.port());
  // Trickled one byte per 100 ms this header takes 8 s; the deadline is 0.5 s from the start.
  const std::string header =
      "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(20, 'z') + "\r\n\r\n";
  bool cut = false;
  for (const char byte : header) {
    if (!slow.send(std::string_view(&byte, 1)) ||
        slow.wait_closed(std::chrono::milliseconds(100))) {
      cut = true;
      break;
    }
  }
  EXPECT_TRUE(cut) << "the whole header was accepted";
  EXPECT_EQ(slow.received().find("200"), std::string::npos);
  // Everyone else is still served.
  EXPECT_EQ(fetch(server.port(), Verb::get, "/hello").result(), Status::ok);
}

TEST(HttpLimits, IdleKeepAliveConnectionIsClosed) {
  auto config = test_config();
  config.idle_timeout = std::chrono::milliseconds(300);
  TestServer server(make_router(), config);
  RawSocket client(server.port());
  ASSERT_TRUE(client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_TRUE(client.wait_closed(std::chrono::seconds(5)));
  EXPECT_NE(client.received().find("200 OK"), std::string::npos);
  EXPECT_TRUE(eventually([&] { return server.server().connection_count() == 0; }));
}

TEST(HttpLimits, ConnectionsBeyondTheCapGet503) {
  auto config = test_config();
  config.max_connections = 2;
  TestServer server(make_router(), config);
  auto first = std::make_unique<Connection>(server.port());
  auto second = std::make_unique<Connection>(server.port());
  EXPECT_EQ(first->roundtrip(make_request(Verb::get, "/hello")).result(), Status::ok);
  EXPECT_EQ(second->roundtrip(make_request(Verb::get, "/hello")).result(), Status::ok);
  ASSERT_EQ(server.server().connection_count(), 2u);

  Connection third(server.port());
  error_code ec;
  third.send(make_request(Verb::get, "/hello"));
  const auto refused = third.read(&ec);
  ASSERT_TRUE(refused) << ec.message();
  expect_error(*refused, Status::service_unavailable, "unavailable");
  EXPECT_EQ((*refused)[Field::retry_after], "1");
  EXPECT_EQ(server.server().metrics().rejected_connections(), 1u);

  first.reset();  // a slot frees up
  ASSERT_TRUE(eventually([&] { return server.server().connection_count() < 2; }));
  EXPECT_EQ(fetch(server.port(), Verb::get, "/hello").result(), Status::ok);
}

TEST(HttpLimits, BehindATrustedProxyTheClientIsTheOneItNames) {
  Router router;
  router.get("/who", [](Request& request) -> net::awaitable<Response> {
    co_return Response::text(Status::ok, request.client_address());
  });
  auto config = test_config();
  config.max_connections_per_address = 1;
  const auto who = [](std::uint16_t port, const std::vector<std::string>& forwarded) {
    auto request = make_request(Verb::get, "/who");
    for (const auto& line : forwarded) request.insert("X-Forwarded-For", line);
    return Connection(port).roundtrip(request).body();
  };
  {
    // Not a trusted proxy: the header is anyone's to write, and ignored.
    TestServer server(std::move(router), config);
    EXPECT_EQ(who(server.port(), {"127.0.0.7"}), "127.0.0.1");
  }
  Router again;
  again.get("/who", [](Request& request) -> net::awaitable<Response> {
    co_return Response::text(Status::ok, request.client_address());
  });
  config.trusted_proxies = {"127.0.0.1"};
  TestServer server(std::move(again), config);
  EXPECT_EQ(who(server.port(), {"127.0.0.7"}), "127.0.0.7");
  // The client's own line first, the proxy's appended after it: the proxy's counts.
  EXPECT_EQ(who(server.port(), {"127.0.0.66", "127.0.0.7"}), "127.0.0.7");
  EXPECT_EQ(who(server.port(), {}), "127.0.0.1");
  // The proxy carries many clients: its connections are not capped per address (1 here).
  Connection first(server.port());
  Connection second(server.port());
  EXPECT_EQ(first.roundtrip(make_request(Verb::get, "/who")).result(), Status::ok);
  EXPECT_EQ(second.roundtrip(make_request(Verb::get, "/who")).result(), Status::ok);
}

TEST(HttpLimits, AdmissionRefusesOnTheHeadersBeforeTheBody) {
  TestServer server(make_router(), test_config());
  RawSocket client(server.port());
  // The body is announced but never sent: the refusal must come on the headers alone.
  ASSERT_TRUE(client.send("POST /admitted HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"));
  EXPECT_TRUE(client.wait_closed(std::chrono::seconds(5)));
  EXPECT_NE(client.received().find("401 Unauthorized"), std::string::npos) << client.received();
  // Admitted, the handler sees the body and what admission set.
  auto ok = make_request(Verb::post, "/admitted", "hello");
  ok.set("X-Key", "open sesame");
  const auto response = Connection(server.port()).roundtrip(ok);
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response.body(), "5 42");
}

TEST(HttpLimits, TransferCodingsNotEndingInChunkedAre400AndClose) {
  TestServer server(make_router(), test_config());
  for (const char* coding : {"gzip", "xchunked", "chunked, gzip"}) {
    RawSocket client(server.port());
    ASSERT_TRUE(client.send(std::string("POST /small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ") +
                            coding + "\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_TRUE(client.wait_closed(std::chrono::seconds(5))) << coding;
    EXPECT_NE(client.received().find("400 Bad Request"), std::string::npos) << coding;
    // The request hidden behind it is never answered.
    EXPECT_EQ(client.received().find("200 OK"), std::string::npos) << coding;
  }
}

TEST(HttpLimits, BodyBelowTheMinimumRateIsCutOff) {
  auto config = test_config();
  config.min_body_rate = 1000;  // bytes a second, over each window
  config.min_body_rate_window = std::chrono::milliseconds(300);
  TestServer server(make_router(), config);
  for (const char* target : {"/stream", "/small"}) {
    RawSocket slow(server.port());
    ASSERT_TRUE(slow.send(std::string("POST ") + target +
                          " HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"));
    // One byte every 50 ms is 20 bytes a second, far below 1000.
    bool closed = false;
    for (int i = 0; i < 100 && !closed; ++i) {
      closed = !slow.send("a") || slow.wait_closed(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(closed) << target;
    EXPECT_NE(slow.received().find("408"), std::string::npos) << target << slow.received();
  }
  EXPECT_EQ(fetch(server.port(), Verb::get, "/hello").result(), Status::ok);
}

TEST(HttpLimits, RequestTimeoutBoundsAWholeBody) {
  auto config = test_config();
  config.min_body_rate = 0;
  config.request_timeout = std::chrono::milliseconds(400);
  TestServer server(make_router(), config);
  RawSocket slow(server.port());
  ASSERT_TRUE(slow.send("POST /stream HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"));
  bool closed = false;
  for (int i = 0; i < 100 && !closed; ++i) {
    closed = !slow.send("a") || slow.wait_closed(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(closed);
}

TEST(HttpLimits, HealthChecksAreAnsweredPastTheConnectionLimits) {
  auto config = test_config();
  config.max_connections = 2;
  config.always_answer = {"/hello"};
  TestServer server(make_router(), config);
  RawSocket a(server.port()), b(server.port());
  ASSERT_TRUE(eventually([&] { return server.server().connection_count() == 2; }));
  // Past the limit, /hello (the health check here) is still answered; nothing else is.
  EXPECT_EQ(fetch(server.port(), Verb::get, "/hello").result(), Status::ok);
  EXPECT_EQ(fetch(server.port(), Verb::post, "/small", "x").result(), Status::service_unavailable);
}

TEST(HttpLimits, UnknownExpectationIs417) {
  TestServer server(make_router());
  auto request = make_request(Verb::post, "/small", "x");
  request.set(Field::expect, "something-else");
  Connection connection(server.port());
  expect_error(connection.roundtrip(request), Status::expectation_failed, "expectation_failed");
}

}  // namespace
}  // namespace imagesprint::http
