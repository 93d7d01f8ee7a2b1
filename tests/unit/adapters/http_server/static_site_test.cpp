// The web app's files and client-side routes, served through the router's fallback.
#include "adapters/http/static_site.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../temp_folder.hpp"
#include "test_client.hpp"

namespace imagesprint::http::testing {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& file, std::string_view text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

class StaticSite : public ::testing::Test {
 protected:
  StaticSite() {
    write(root_.path() / "web" / "index.html", "<!doctype html><title>app</title>");
    write(root_.path() / "web" / "assets" / "index-3f9a.js", "console.log(1)");
    write(root_.path() / "web" / "favicon.svg", "<svg/>");
    write(root_.path() / "secret.txt", "outside the web root");
  }
  Router router() {
    Router r;
    r.get("/v1/jobs", [](Request&) -> net::awaitable<Response> {
      co_return Response::json(Status::ok, {{"api", true}});
    });
    r.fallback(static_site(root_.path() / "web"));
    return r;
  }
  imagesprint::test::TempFolder root_;
};

TEST_F(StaticSite, ServesFilesWithTypesAndCaching) {
  TestServer server(router());
  auto index = fetch(server.port(), Verb::get, "/");
  EXPECT_EQ(index.result_int(), 200);
  EXPECT_EQ(index.body(), "<!doctype html><title>app</title>");
  EXPECT_EQ(index[Field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(index[Field::cache_control], "no-cache");
  EXPECT_NE(index["Content-Security-Policy"].find("default-src 'self'"), std::string::npos);

  auto asset = fetch(server.port(), Verb::get, "/assets/index-3f9a.js");
  EXPECT_EQ(asset.result_int(), 200);
  EXPECT_EQ(asset[Field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(asset[Field::cache_control], "public, max-age=31536000, immutable");
  EXPECT_EQ(fetch(server.port(), Verb::get, "/favicon.svg")[Field::content_type], "image/svg+xml");
}

TEST_F(StaticSite, PagesMayShowImagesFromTheObjectStoreTheyAreRedirectedTo) {
  Router r;
  r.fallback(static_site(root_.path() / "web", {"http://127.0.0.1:9000"}));
  TestServer server(std::move(r));
  const auto policy =
      std::string(fetch(server.port(), Verb::get, "/jobs/abc")["Content-Security-Policy"]);
  EXPECT_NE(policy.find("img-src 'self' blob: data: http://127.0.0.1:9000;"), std::string::npos)
      << policy;
  EXPECT_NE(policy.find("connect-src 'self';"), std::string::npos) << policy;
  TestServer plain_server(router());
  const auto plain =
      std::string(fetch(plain_server.port(), Verb::get, "/")["Content-Security-Policy"]);
  EXPECT_NE(plain.find("img-src 'self' blob: data:;"), std::string::npos) << plain;
}

TEST_F(StaticSite, ClientRoutesGetTheAppShellButTheApiKeepsItsErrors) {
  TestServer server(router());
  auto page = fetch(server.port(), Verb::get, "/jobs/abc123");
  EXPECT_EQ(page.result_int(), 200);
  EXPECT_EQ(page.body(), "<!doctype html><title>app</title>");
  EXPECT_EQ(fetch(server.port(), Verb::get, "/v1/jobs").body(), R"({"api":true})");
  auto unknown_api = fetch(server.port(), Verb::get, "/v1/nothing");
  EXPECT_EQ(unknown_api.result_int(), 404);
  EXPECT_NE(unknown_api.body().find("\"not_found\""), std::string::npos);
  EXPECT_EQ(fetch(server.port(), Verb::get, "/assets/gone-1234.js").result_int(), 404);
  // Only GET and HEAD fall back: another method on an unknown path is still a 404.
  EXPECT_EQ(fetch(server.port(), Verb::post, "/jobs/abc123").result_int(), 404);
}

TEST_F(StaticSite, NeverServesOutsideItsRoot) {
  TestServer server(router());
  for (const char* target : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt",
                             "/%2E%2E%5Csecret.txt"}) {
    auto answer = fetch(server.port(), Verb::get, target);
    EXPECT_EQ(answer.body().find("outside the web root"), std::string::npos) << target;
  }
}

TEST(StaticSiteUnbuilt, SaysTheAppIsNotBuilt) {
  imagesprint::test::TempFolder empty;
  Router r;
  r.fallback(static_site(empty.path() / "dist"));
  TestServer server(std::move(r));
  auto answer = fetch(server.port(), Verb::get, "/");
  EXPECT_EQ(answer.result_int(), 404);
  EXPECT_NE(answer.body().find("not built"), std::string::npos);
}

}  // namespace
}  // namespace imagesprint::http::testing
