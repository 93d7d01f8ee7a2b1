#include "adapters/http/router.hpp"

#include <gtest/gtest.h>

#include "adapters/http/http_error.hpp"
#include "adapters/http/query_names.hpp"
#include "adapters/http/url.hpp"

namespace imagesprint::http {
namespace {

Handler ok() {
  return [](Request&) -> net::awaitable<Response> { co_return Response::empty(); };
}

TEST(HttpRouter, MatchesLiteralAndParameterSegments) {
  Router router;
  router.get("/v1/jobs", ok()).get("/v1/jobs/{id}/images/{n}", ok());
  const auto list = router.match(Verb::get, "/v1/jobs");
  ASSERT_EQ(list.kind, Router::Match::Kind::found);
  EXPECT_EQ(list.route->pattern, "/v1/jobs");

  const auto image = router.match(Verb::get, "/v1/jobs/j-42/images/3");
  ASSERT_EQ(image.kind, Router::Match::Kind::found);
  EXPECT_EQ(image.route->pattern, "/v1/jobs/{id}/images/{n}");
  EXPECT_EQ(image.params.get("id"), "j-42");
  EXPECT_EQ(image.params.get("n"), "3");
  EXPECT_THROW((void)image.params.get("nope"), std::out_of_range);
}

TEST(HttpRouter, UnknownPathIsNotFound) {
  Router router;
  router.get("/v1/jobs/{id}", ok());
  EXPECT_EQ(router.match(Verb::get, "/v1/job/1").kind, Router::Match::Kind::not_found);
  EXPECT_EQ(router.match(Verb::get, "/v1/jobs/1/x").kind, Router::Match::Kind::not_found);
  EXPECT_EQ(router.match(Verb::get, "/v1/jobs/").kind, Router::Match::Kind::not_found);
  EXPECT_EQ(router.match(Verb::get, "/v1/jobs").kind, Router::Match::Kind::not_found);
}

TEST(HttpRouter, WrongMethodIsMethodNotAllowedWithAllow) {
  Router router;
  router.get("/v1/jobs/{id}", ok()).del("/v1/jobs/{id}", ok()).post("/v1/jobs", ok());
  const auto match = router.match(Verb::put, "/v1/jobs/7");
  ASSERT_EQ(match.kind, Router::Match::Kind::method_not_allowed);
  EXPECT_EQ(match.allow, "GET, HEAD, DELETE");
}

TEST(HttpRouter, HeadFallsBackToGet) {
  Router router;
  router.get("/file", ok());
  const auto match = router.match(Verb::head, "/file");
  ASSERT_EQ(match.kind, Router::Match::Kind::found);
  EXPECT_EQ(match.route->method, Verb::get);
}

TEST(HttpRouter, LiteralSegmentBeatsParameter) {
  Router router;
  router.post("/v1/notifications/{id}", ok()).post("/v1/notifications/read-all", ok());
  EXPECT_EQ(router.match(Verb::post, "/v1/notifications/read-all").route->pattern,
            "/v1/notifications/read-all");
  EXPECT_EQ(router.match(Verb::post, "/v1/notifications/n1").route->pattern,
            "/v1/notifications/{id}");
}

TEST(HttpRouter, ParametersArePercentDecodedAfterSplitting) {
  Router router;
  router.get("/files/{name}", ok());
  const auto match = router.match(Verb::get, "/files/a%2Fb%20c");
  ASSERT_EQ(match.kind, Router::Match::Kind::found);
  EXPECT_EQ(match.params.get("name"), "a/b c");
  EXPECT_EQ(router.match(Verb::get, "/files/%zz").kind, Router::Match::Kind::bad_path);
}

TEST(HttpRouter, RefusesMalformedAndDuplicateRoutes) {
  Router router;
  EXPECT_THROW(router.get("no-slash", ok()), std::invalid_argument);
  EXPECT_THROW(router.get("/a/x{id}", ok()), std::invalid_argument);
  EXPECT_THROW(router.get("/a/{}", ok()), std::invalid_argument);
  EXPECT_THROW(router.get("/a/{id}/{id}", ok()), std::invalid_argument);
  router.get("/a/{id}", ok());
  EXPECT_THROW(router.get("/a/{other}", ok()), std::invalid_argument);
  EXPECT_NO_THROW(router.post("/a/{id}", ok()));
}

TEST(HttpRouter, ListsRoutesInRegistrationOrder) {
  Router router;
  router.get("/healthz", ok()).post("/v1/jobs", ok(), {BodyMode::streaming, 1024});
  const auto routes = router.routes();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].method, Verb::get);
  EXPECT_EQ(routes[0].pattern, "/healthz");
  EXPECT_EQ(routes[1].method, Verb::post);
  EXPECT_EQ(routes[1].pattern, "/v1/jobs");
  EXPECT_EQ(routes[1].body, BodyMode::streaming);
}

TEST(HttpUrl, PercentDecoding) {
  EXPECT_EQ(percent_decode("a%20b%2Fc"), "a b/c");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("%e2%82%AC"), "\xe2\x82\xac");
  EXPECT_EQ(percent_decode("%"), std::nullopt);
  EXPECT_EQ(percent_decode("%4"), std::nullopt);
  EXPECT_EQ(percent_decode("%g1"), std::nullopt);
  EXPECT_EQ(percent_encode("a b/ü~"), "a%20b%2F%C3%BC~");
}

TEST(HttpUrl, SplitsTargets) {
  const auto target = split_target("/v1/jobs?status=done&x=1");
  ASSERT_TRUE(target);
  EXPECT_EQ(target->path, "/v1/jobs");
  EXPECT_EQ(target->query, "status=done&x=1");
  EXPECT_EQ(split_target("/a#frag")->path, "/a");
  EXPECT_FALSE(split_target("http://example.com/"));
  EXPECT_FALSE(split_target("*"));
}

TEST(HttpUrl, ParsesQueries) {
  const auto query = QueryParams::parse("status=done&tag=a&tag=b%20c&flag&&name=J%C3%BCrgen+M");
  ASSERT_TRUE(query);
  EXPECT_EQ(query->get("status"), "done");
  EXPECT_EQ(query->get_all("tag"), (std::vector<std::string_view>{"a", "b c"}));
  EXPECT_EQ(query->get("flag"), "");
  EXPECT_EQ(query->get("name"), "J\xc3\xbcrgen M");
  EXPECT_FALSE(query->contains("missing"));
  EXPECT_FALSE(QueryParams::parse("a=%zz"));
  EXPECT_TRUE(QueryParams::parse("")->items().empty());
}

/// The HttpError check_query_names throws for `query` (nullopt: none).
std::optional<HttpError> query_refusal(std::string_view query,
                                       const std::vector<std::string>& accepted) {
  try {
    check_query_names(*QueryParams::parse(query), accepted);
  } catch (const HttpError& error) {
    return error;
  }
  return std::nullopt;
}

TEST(QueryNames, TakesTheRouteParametersOnceEachAndNothingElse) {
  const std::vector<std::string> list{"status", "cursor", "limit"};
  EXPECT_FALSE(query_refusal("", list));
  EXPECT_FALSE(query_refusal("limit=5&status=done&cursor=", list));
  EXPECT_FALSE(query_refusal("&&limit=5&", list));  // empty pairs are not parameters

  auto error = query_refusal("status=done&statuss=failed", list);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->status(), Status::bad_request);
  EXPECT_EQ(error->code(), "invalid_request");
  EXPECT_EQ(error->field(), "statuss");
  EXPECT_STREQ(error->what(), "statuss: unknown query parameter (expected status, cursor, limit)");
  EXPECT_EQ(error->message_key(), "error.invalid_request.unknown_query");

  error = query_refusal("limit=1&cursor=x&l%69mit=100", list);  // names compare decoded
  ASSERT_TRUE(error);
  EXPECT_EQ(error->field(), "limit");
  EXPECT_STREQ(error->what(), "limit: given more than once in the query");

  error = query_refusal("limit", {});
  ASSERT_TRUE(error);
  EXPECT_STREQ(error->what(), "limit: unknown query parameter (this route takes none)");
  error = query_refusal("limit=5&=x", list);  // a value without a name names no field
  ASSERT_TRUE(error);
  EXPECT_EQ(error->field(), "");
  EXPECT_STREQ(error->what(), "the query has a parameter without a name (\"=...\")");

  // The name is the client's text: cut to 64 code points and made valid UTF-8 in the answer.
  error = query_refusal(std::string(100, 'x') + "%FF=1", list);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->field(), std::string(64, 'x'));
  error = query_refusal("a%FFb=1", list);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->field(),
            "a\xEF\xBF\xBD"
            "b");
}

}  // namespace
}  // namespace imagesprint::http
