// The server end to end over real TCP: routing, JSON errors, request ids, keep-alive, handler
// failures, blocking work, counters and the access log.
#include "adapters/http/server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "test_client.hpp"

namespace imagesprint::http {
namespace {

using namespace testing;
using json = nlohmann::json;

TEST(HttpServerConfig, ValidateNamesEveryBadSettingAndTheServerRefusesThemAll) {
  EXPECT_TRUE(ServerConfig{}.validate().empty());
  ServerConfig config;
  config.max_connections = 0;
  config.trusted_proxies = {"not an address"};
  config.sse_heartbeat = std::chrono::seconds(0);
  const FieldErrors errors = config.validate();
  ASSERT_EQ(errors.size(), 3u) << describe(errors);
  EXPECT_EQ(errors[0].field, "http.max_connections");
  EXPECT_EQ(errors[1].field, "http.trusted_proxies");
  EXPECT_EQ(errors[2].field, "http.sse_heartbeat");
  try {
    HttpServer server(config, Router{});
    FAIL() << "a server with bad settings was made";
  } catch (const std::invalid_argument& e) {
    const std::string text = e.what();
    for (const FieldError& error : errors) EXPECT_NE(text.find(error.field), std::string::npos);
  }
}

std::string thread_name() {
  std::ostringstream out;
  out << std::this_thread::get_id();
  return out.str();
}

Router make_router() {
  Router router;
  router.get("/hello", [](Request&) -> net::awaitable<Response> {
    co_return Response::json(Status::ok, {{"hello", "world"}});
  });
  router.get(
      "/v1/jobs/{id}/images/{n}",
      [](Request& request) -> net::awaitable<Response> {
        co_return Response::json(Status::ok, {{"id", request.param("id")},
                                              {"n", request.param("n")},
                                              {"size", request.query().get("size").value_or("-")},
                                              {"tags", request.query().get_all("tag")},
                                              {"route", request.route_pattern()}});
      },
      RouteOptions{.query = {"size", "tag"}});
  router.post("/echo", [](Request& request) -> net::awaitable<Response> {
    co_return Response::text(Status::ok, request.take_body(), "application/octet-stream");
  });
  router.post("/json", [](Request& request) -> net::awaitable<Response> {
    auto body = request.json_body();
    co_return Response::json(Status::created, {{"got", body}});
  });
  router.get("/boom", [](Request&) -> net::awaitable<Response> {
    throw std::runtime_error("a bug in a handler");
    co_return Response::empty();
  });
  router.post("/conflict", [](Request&) -> net::awaitable<Response> {
    throw HttpError(Status::conflict, "conflict", "an account with this email exists", "email");
    co_return Response::empty();
  });
  router.get("/blocking", [](Request& request) -> net::awaitable<Response> {
    const auto io_thread = thread_name();
    auto pool_thread = co_await request.run_blocking([] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a slow SQLite query, say
      return thread_name();
    });
    co_return Response::json(Status::ok, {{"io", io_thread}, {"pool", pool_thread}});
  });
  router.get("/blocking-fails", [](Request& request) -> net::awaitable<Response> {
    co_await request.run_blocking([] {
      throw HttpError(Status::unprocessable_entity, "invalid_option", "width: too big", "width");
    });
    co_return Response::empty();
  });
  router.get("/timer", [](Request&) -> net::awaitable<Response> {
    net::steady_timer timer(co_await net::this_coro::executor, std::chrono::milliseconds(10));
    co_await timer.async_wait(net::use_awaitable);
    co_return Response::text(Status::ok, "waited");
  });
  return router;
}

void expect_error(const Message& response, Status status, std::string_view code) {
  EXPECT_EQ(response.result(), status);
  EXPECT_EQ(response[Field::content_type], "application/json");
  const auto body = json::parse(response.body(), nullptr, false);
  ASSERT_FALSE(body.is_discarded()) << response.body();
  EXPECT_EQ(body["error"]["code"], code) << response.body();
  EXPECT_TRUE(body["error"]["message"].is_string());
}

class HttpServerTest : public ::testing::Test {
 protected:
  TestServer server_{make_router()};
};

TEST_F(HttpServerTest, AnswersJsonWithAGeneratedRequestId) {
  const auto response = fetch(server_.port(), Verb::get, "/hello");
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response[Field::content_type], "application/json");
  EXPECT_EQ(json::parse(response.body()), json({{"hello", "world"}}));
  const auto id = std::string(response["X-Request-Id"]);
  EXPECT_EQ(id.size(), 32u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST_F(HttpServerTest, KeepsASaneClientRequestIdAndReplacesOthers) {
  Connection connection(server_.port());
  auto request = make_request(Verb::get, "/hello");
  request.set("X-Request-Id", "abc-123_x.y:z");
  EXPECT_EQ(connection.roundtrip(request)["X-Request-Id"], "abc-123_x.y:z");
  request.set("X-Request-Id", "bad id with spaces {}");
  EXPECT_NE(connection.roundtrip(request)["X-Request-Id"], "bad id with spaces {}");
}

TEST_F(HttpServerTest, PassesPathParametersAndDecodedQuery) {
  const auto response =
      fetch(server_.port(), Verb::get, "/v1/jobs/j%2042/images/3?size=big%21&tag=b+c");
  ASSERT_EQ(response.result(), Status::ok);
  const auto body = json::parse(response.body());
  EXPECT_EQ(body["id"], "j 42");
  EXPECT_EQ(body["n"], "3");
  EXPECT_EQ(body["size"], "big!");
  EXPECT_EQ(body["tags"], json({"b c"}));
  EXPECT_EQ(body["route"], "/v1/jobs/{id}/images/{n}");
  // Only the parameters the route takes, each once (check_query_names).
  expect_error(fetch(server_.port(), Verb::get, "/v1/jobs/j/images/3?tag=a&tag=b"),
               Status::bad_request, "invalid_request");
  expect_error(fetch(server_.port(), Verb::get, "/v1/jobs/j/images/3?colour=red"),
               Status::bad_request, "invalid_request");
}

TEST_F(HttpServerTest, UnknownPathIs404Json) {
  expect_error(fetch(server_.port(), Verb::get, "/nope"), Status::not_found, "not_found");
}

TEST_F(HttpServerTest, WrongMethodIs405JsonWithAllow) {
  const auto response = fetch(server_.port(), Verb::delete_, "/hello");
  expect_error(response, Status::method_not_allowed, "method_not_allowed");
  EXPECT_EQ(response[Field::allow], "GET, HEAD");
}

TEST_F(HttpServerTest, MalformedEscapesAre400Json) {
  expect_error(fetch(server_.port(), Verb::get, "/v1/jobs/%zz/images/1"), Status::bad_request,
               "bad_request");
  expect_error(fetch(server_.port(), Verb::get, "/hello?x=%2"), Status::bad_request,
               "invalid_query");
}

TEST_F(HttpServerTest, MalformedRequestIs400JsonAndClosed) {
  Connection connection(server_.port());
  ASSERT_FALSE(connection.send("GET /hello HTTP/1.1\r\nHost x\r\n\r\n"));  // no colon
  const auto response = connection.read();
  ASSERT_TRUE(response);
  expect_error(*response, Status::bad_request, "bad_request");
  EXPECT_TRUE(connection.closed_by_server(std::chrono::seconds(3)));
}

TEST_F(HttpServerTest, HandlerExceptionIs500AndTheServerKeepsServing) {
  Connection connection(server_.port());
  const auto failed = connection.roundtrip(make_request(Verb::get, "/boom"));
  expect_error(failed, Status::internal_server_error, "internal");
  EXPECT_EQ(failed.body().find("a bug in a handler"), std::string::npos);  // never leaked
  // Same connection, then a fresh one: both still served.
  EXPECT_EQ(connection.roundtrip(make_request(Verb::get, "/hello")).result(), Status::ok);
  EXPECT_EQ(fetch(server_.port(), Verb::get, "/hello").result(), Status::ok);
  const auto lines = server_.sink()->lines();
  EXPECT_TRUE(std::any_of(lines.begin(), lines.end(), [](const std::string& line) {
    return line.find("handler_error") != std::string::npos &&
           line.find("a bug in a handler") != std::string::npos;
  }));
}

TEST_F(HttpServerTest, HttpErrorBecomesItsStatusWithField) {
  const auto response = fetch(server_.port(), Verb::post, "/conflict", "{}", "application/json");
  expect_error(response, Status::conflict, "conflict");
  EXPECT_EQ(json::parse(response.body())["error"]["field"], "email");
}

TEST_F(HttpServerTest, ServesSeveralRequestsOnOneKeepAliveConnection) {
  Connection connection(server_.port());
  for (int i = 0; i < 5; ++i) {
    const auto response =
        connection.roundtrip(make_request(Verb::post, "/echo", "body " + std::to_string(i)));
    EXPECT_EQ(response.result(), Status::ok);
    EXPECT_EQ(response.body(), "body " + std::to_string(i));
    EXPECT_TRUE(response.keep_alive());
  }
  // Pipelined: two requests in one write, two answers in order.
  ASSERT_FALSE(connection.send(
      "GET /timer HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto first = connection.read();
  const auto second = connection.read();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body(), "waited");
  EXPECT_EQ(json::parse(second->body())["hello"], "world");
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  Connection connection(server_.port());
  auto request = make_request(Verb::get, "/hello");
  request.keep_alive(false);
  const auto response = connection.roundtrip(request);
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(connection.closed_by_server(std::chrono::seconds(3)));
}

TEST_F(HttpServerTest, JsonBodyChecksTypeAndSyntax) {
  const auto ok = fetch(server_.port(), Verb::post, "/json", R"({"a": [1, 2]})",
                        "application/json; charset=utf-8");
  EXPECT_EQ(ok.result(), Status::created);
  EXPECT_EQ(json::parse(ok.body())["got"]["a"], json({1, 2}));
  expect_error(fetch(server_.port(), Verb::post, "/json", "{}", "text/plain"),
               Status::unsupported_media_type, "unsupported_media_type");
  expect_error(fetch(server_.port(), Verb::post, "/json", "{oops", "application/json"),
               Status::bad_request, "invalid_json");
}

TEST_F(HttpServerTest, HeadAnswersWithoutBody) {
  Connection connection(server_.port());
  const auto get = connection.roundtrip(make_request(Verb::get, "/hello"));
  const auto head = connection.roundtrip(make_request(Verb::head, "/hello"));
  EXPECT_EQ(head.result(), Status::ok);
  EXPECT_EQ(head[Field::content_length], std::to_string(get.body().size()));
  EXPECT_TRUE(head.body().empty());
  // The connection is still in step: the next answer is whole.
  EXPECT_EQ(connection.roundtrip(make_request(Verb::get, "/hello")).body(), get.body());
}

TEST_F(HttpServerTest, BlockingWorkRunsOffTheIoThreads) {
  const auto response = fetch(server_.port(), Verb::get, "/blocking");
  ASSERT_EQ(response.result(), Status::ok);
  const auto body = json::parse(response.body());
  EXPECT_NE(body["io"], body["pool"]);
  // An exception thrown on the pool reaches the handler, then the error response.
  const auto failed = fetch(server_.port(), Verb::get, "/blocking-fails");
  expect_error(failed, Status::unprocessable_entity, "invalid_option");
}

TEST_F(HttpServerTest, CountsRequestsByRouteAndStatusAndLogsOneJsonLineEach) {
  for (int i = 0; i < 3; ++i) fetch(server_.port(), Verb::get, "/v1/jobs/a/images/1");
  fetch(server_.port(), Verb::get, "/secret/path/123");
  // A request is counted once its response is written, so the client may see it a bit earlier.
  ASSERT_TRUE(eventually([&] { return server_.server().metrics().requests_total() == 4; }));
  const auto counts = server_.server().metrics().requests();
  const auto find = [&](std::string_view route, unsigned status) -> std::uint64_t {
    for (const auto& entry : counts) {
      if (entry.route == route && entry.status == status && entry.method == "GET")
        return entry.count;
    }
    return 0;
  };
  EXPECT_EQ(find("/v1/jobs/{id}/images/{n}", 200), 3u);
  EXPECT_EQ(find(UNMATCHED_ROUTE, 404), 1u);  // by pattern: raw paths never become labels
  EXPECT_EQ(server_.server().metrics().requests_total(), 4u);

  int request_lines = 0;
  for (const auto& line : server_.sink()->lines()) {
    const auto entry = json::parse(line, nullptr, false);
    if (entry.is_discarded() || entry.value("type", "") != "request") continue;
    ++request_lines;
    EXPECT_EQ(entry["method"], "GET");
    EXPECT_TRUE(entry["duration_ms"].is_number());
    EXPECT_TRUE(entry["bytes_out"].is_number());
    EXPECT_EQ(entry["request_id"].get<std::string>().size(), 32u);
    if (entry["status"] == 200) {
      EXPECT_EQ(entry["route"], "/v1/jobs/{id}/images/{n}");
      EXPECT_EQ(entry["path"], "/v1/jobs/a/images/1");
    }
  }
  EXPECT_EQ(request_lines, 4);
}

TEST(HttpServerConfig, RefusesBadSettingsByName) {
  auto config = test_config();
  config.max_connections = 0;
  try {
    HttpServer server(config, Router{});
    FAIL() << "a zero connection limit was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("max_connections"), std::string::npos);
  }
}

TEST(HttpServerConfig, ListsItsRoutes) {
  TestServer server(make_router());
  const auto routes = server.server().routes();
  ASSERT_FALSE(routes.empty());
  EXPECT_EQ(routes.front().pattern, "/hello");
}

}  // namespace
}  // namespace imagesprint::http
