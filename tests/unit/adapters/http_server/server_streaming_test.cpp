// Streaming request bodies (read in chunks, Expect: 100-continue) and file responses (ETag,
// Range, 206/304/416).
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "adapters/http/server.hpp"
#include "test_client.hpp"

namespace imagesprint::http {
namespace {

using namespace testing;
using json = nlohmann::json;
namespace fs = std::filesystem;

constexpr std::uint64_t UPLOAD_LIMIT = 16 * 1024 * 1024;

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t hash = 1469598103934665603ull) {
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 engine(seed);
  std::string bytes(size, '\0');
  for (auto& c : bytes) c = static_cast<char>(engine() & 0xff);
  return bytes;
}

Router make_router(const fs::path& files) {
  Router router;
  // What an upload endpoint does: consume the body chunk by chunk, never holding all of it.
  router.post("/upload",
              [](Request& request) -> net::awaitable<Response> {
                auto& reader = request.body_reader();
                std::uint64_t total = 0;
                std::uint64_t chunks = 0;
                std::size_t largest = 0;
                std::uint64_t hash = 1469598103934665603ull;
                while (auto chunk = co_await reader.read_some()) {
                  total += chunk->size();
                  ++chunks;
                  largest = std::max(largest, chunk->size());
                  hash = fnv1a(*chunk, hash);
                }
                co_return Response::json(Status::ok,
                                         {{"bytes", total},
                                          {"chunks", chunks},
                                          {"largest", largest},
                                          {"hash", std::to_string(hash)},
                                          {"done", reader.done()},
                                          {"length", reader.content_length().value_or(0)}});
              },
              {BodyMode::streaming, UPLOAD_LIMIT});
  // Refuses on the headers alone, before any body is read.
  router.post("/guarded",
              [](Request& request) -> net::awaitable<Response> {
                if (request.header(Field::authorization).empty()) {
                  co_return Response::error(Status::unauthorized, "unauthorized", "sign in first");
                }
                std::uint64_t total = 0;
                while (auto chunk = co_await request.body_reader().read_some())
                  total += chunk->size();
                co_return Response::text(Status::ok, std::to_string(total));
              },
              {BodyMode::streaming, UPLOAD_LIMIT});
  router.get("/files/{name}", [files](Request& request) -> net::awaitable<Response> {
    auto response = Response::file(files / std::string(request.param("name")), "image/webp");
    response.set(Field::content_disposition, content_disposition("사진.webp"));
    co_return response;
  });
  return router;
}

class HttpStreamingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("imagesprint-http-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    content_ = random_bytes(100'000, 7);
    std::ofstream(dir_ / "photo.webp", std::ios::binary) << content_;
    server_ = std::make_unique<TestServer>(make_router(dir_));
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  Message get_file(Connection& connection, std::string_view range = {},
                   std::string_view if_none_match = {}) {
    auto request = make_request(Verb::get, "/files/photo.webp");
    if (!range.empty()) request.set(Field::range, to_beast(range));
    if (!if_none_match.empty()) request.set(Field::if_none_match, to_beast(if_none_match));
    return connection.roundtrip(request);
  }

  fs::path dir_;
  std::string content_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(HttpStreamingTest, UploadArrivesInChunksWithTheRightTotal) {
  const auto body = random_bytes(5 * 1024 * 1024 + 123, 1);
  const auto response = fetch(server_->port(), Verb::post, "/upload", body);
  ASSERT_EQ(response.result(), Status::ok) << response.body();
  const auto result = json::parse(response.body());
  EXPECT_EQ(result["bytes"], body.size());
  EXPECT_EQ(result["length"], body.size());
  EXPECT_EQ(result["hash"], std::to_string(fnv1a(body)));
  EXPECT_GT(result["chunks"].get<int>(), 10);  // in pieces, not at once
  EXPECT_LE(result["largest"].get<std::size_t>(), 64u * 1024u);
  EXPECT_TRUE(result["done"].get<bool>());
  // The server counts a request after writing its response: the client can be there first.
  ASSERT_TRUE(eventually([&] { return !server_->server().metrics().requests().empty(); }));
  EXPECT_EQ(server_->server().metrics().requests().back().status, 200u);
}

TEST_F(HttpStreamingTest, ChunkedUploadIsDecoded) {
  const auto body = random_bytes(300'000, 2);
  Connection connection(server_->port());
  auto request = make_request(Verb::post, "/upload");
  request.body() = body;
  request.chunked(true);
  const auto response = connection.roundtrip(request);
  ASSERT_EQ(response.result(), Status::ok) << response.body();
  const auto result = json::parse(response.body());
  EXPECT_EQ(result["bytes"], body.size());
  EXPECT_EQ(result["hash"], std::to_string(fnv1a(body)));
  EXPECT_EQ(result["length"], 0);  // no Content-Length on a chunked body
  // The connection is reusable after a fully read streamed body.
  EXPECT_EQ(connection.roundtrip(make_request(Verb::post, "/upload", "abc")).result(), Status::ok);
}

TEST_F(HttpStreamingTest, ExpectContinueIsAnsweredWhenTheBodyIsWanted) {
  Connection connection(server_->port());
  ASSERT_FALSE(connection.send(
      "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n"));
  const auto interim = connection.read();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->result(), Status::continue_);
  ASSERT_FALSE(connection.send("0123456789"));
  const auto final_response = connection.read();
  ASSERT_TRUE(final_response);
  EXPECT_EQ(final_response->result(), Status::ok);
  EXPECT_EQ(json::parse(final_response->body())["bytes"], 10);
}

TEST_F(HttpStreamingTest, ExpectContinueRefusedOnHeadersSendsNoContinue) {
  Connection connection(server_->port());
  ASSERT_FALSE(
      connection.send("POST /guarded HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n"
                      "Expect: 100-continue\r\n\r\n"));
  const auto response = connection.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result(), Status::unauthorized);  // final answer, no 100 first
  EXPECT_FALSE(response->keep_alive());                 // the unsent body is never read
}

TEST_F(HttpStreamingTest, FileIsServedWholeWithLengthETagAndDisposition) {
  Connection connection(server_->port());
  const auto response = get_file(connection);
  ASSERT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response.body(), content_);
  EXPECT_EQ(response[Field::content_length], std::to_string(content_.size()));
  EXPECT_EQ(response[Field::content_type], "image/webp");
  EXPECT_EQ(response[Field::accept_ranges], "bytes");
  EXPECT_EQ(response[Field::content_disposition],
            "attachment; filename=\"______.webp\"; filename*=UTF-8''%EC%82%AC%EC%A7%84.webp");
  const auto etag = std::string(response[Field::etag]);
  ASSERT_GE(etag.size(), 3u);
  EXPECT_EQ(etag.front(), '"');

  // Conditional: the same ETag is 304 without a body.
  const auto cached = get_file(connection, {}, etag);
  EXPECT_EQ(cached.result(), Status::not_modified);
  EXPECT_TRUE(cached.body().empty());
  // Still in step on the same connection.
  EXPECT_EQ(get_file(connection).body(), content_);
}

TEST_F(HttpStreamingTest, RangeIs206WithContentRange) {
  Connection connection(server_->port());
  const auto part = get_file(connection, "bytes=10-19");
  ASSERT_EQ(part.result(), Status::partial_content);
  EXPECT_EQ(part[Field::content_range], "bytes 10-19/100000");
  EXPECT_EQ(part[Field::content_length], "10");
  EXPECT_EQ(part.body(), content_.substr(10, 10));

  const auto tail = get_file(connection, "bytes=-100");
  ASSERT_EQ(tail.result(), Status::partial_content);
  EXPECT_EQ(tail[Field::content_range], "bytes 99900-99999/100000");
  EXPECT_EQ(tail.body(), content_.substr(99'900));

  const auto open_ended = get_file(connection, "bytes=65536-");
  ASSERT_EQ(open_ended.result(), Status::partial_content);
  EXPECT_EQ(open_ended.body(), content_.substr(65'536));
}

TEST_F(HttpStreamingTest, RangeOutsideTheFileIs416) {
  Connection connection(server_->port());
  const auto response = get_file(connection, "bytes=100000-100010");
  EXPECT_EQ(response.result(), Status::range_not_satisfiable);
  EXPECT_EQ(response[Field::content_range], "bytes */100000");
  EXPECT_EQ(json::parse(response.body())["error"]["code"], "range_not_satisfiable");
}

TEST_F(HttpStreamingTest, StaleIfRangeGetsTheWholeFile) {
  Connection connection(server_->port());
  auto request = make_request(Verb::get, "/files/photo.webp");
  request.set(Field::range, "bytes=0-9");
  request.set(Field::if_range, "\"some-old-version\"");
  const auto response = connection.roundtrip(request);
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response.body().size(), content_.size());
}

TEST_F(HttpStreamingTest, HeadOfAFileHasItsLengthButNoBody) {
  Connection connection(server_->port());
  const auto response = connection.roundtrip(make_request(Verb::head, "/files/photo.webp"));
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response[Field::content_length], "100000");
  EXPECT_TRUE(response.body().empty());
  EXPECT_EQ(get_file(connection, "bytes=0-0").body(), content_.substr(0, 1));
}

TEST_F(HttpStreamingTest, MissingFileIs404Json) {
  const auto response = fetch(server_->port(), Verb::get, "/files/nope.webp");
  EXPECT_EQ(response.result(), Status::not_found);
  EXPECT_EQ(json::parse(response.body())["error"]["code"], "not_found");
}

}  // namespace
}  // namespace imagesprint::http
