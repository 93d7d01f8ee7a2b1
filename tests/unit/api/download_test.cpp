// Downloads stream through the ObjectStore port: an object in a store with no local path (a test
// double, as S3 would be) answers Range, If-Range, If-Match, If-None-Match and 416 like a file, read a
// chunk at a time.
#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "../adapters/http_server/test_client.hpp"
#include "adapters/http/api/object_source.hpp"
#include "adapters/http/server.hpp"

namespace imagesprint {
namespace {

using http::Field;
using http::Status;
using http::Verb;
namespace ht = http::testing;

/// An ObjectStore that keeps objects in memory: no file, no path.
class MemoryObjectStore final : public ObjectStore {
 public:
  ObjectInfo put(std::string_view key, std::span<const std::uint8_t> bytes) override {
    const std::lock_guard lock(mutex_);
    auto& object = objects_[std::string(key)];
    object.bytes.assign(bytes.begin(), bytes.end());
    object.info = ObjectInfo{std::string(key), bytes.size(), 1, "v" + std::to_string(++version_)};
    return object.info;
  }
  std::unique_ptr<ObjectWriter> open_writer(std::string_view) override { return nullptr; }
  std::optional<std::vector<std::uint8_t>> get(std::string_view key) override {
    const std::lock_guard lock(mutex_);
    const auto it = objects_.find(std::string(key));
    if (it == objects_.end()) return std::nullopt;
    return it->second.bytes;
  }
  std::unique_ptr<ObjectReader> open_reader(std::string_view key) override {
    const std::lock_guard lock(mutex_);
    const auto it = objects_.find(std::string(key));
    if (it == objects_.end()) return nullptr;
    reads_ = 0;
    return std::make_unique<Reader>(it->second, reads_);
  }
  std::optional<ObjectInfo> stat(std::string_view key) override {
    const std::lock_guard lock(mutex_);
    const auto it = objects_.find(std::string(key));
    if (it == objects_.end()) return std::nullopt;
    return it->second.info;
  }
  bool remove(std::string_view key) override { return objects_.erase(std::string(key)) > 0; }
  std::size_t remove_prefix(std::string_view) override { return 0; }
  std::vector<ObjectInfo> list(std::string_view) override { return {}; }
  PresignedUrl presign(PresignMethod, std::string_view, std::chrono::seconds) override {
    return {};
  }
  int reads() const { return reads_; }

 private:
  struct Object {
    std::vector<std::uint8_t> bytes;
    ObjectInfo info;
  };
  class Reader final : public ObjectReader {
   public:
    Reader(Object object, std::atomic<int>& reads) : object_(std::move(object)), reads_(reads) {}
    const ObjectInfo& info() const override { return object_.info; }
    std::size_t read_at(std::uint64_t offset, std::span<std::uint8_t> out) override {
      ++reads_;
      if (offset >= object_.bytes.size()) return 0;
      const auto n = std::min<std::size_t>(out.size(), object_.bytes.size() - offset);
      std::copy_n(object_.bytes.begin() + static_cast<std::ptrdiff_t>(offset), n, out.begin());
      return n;
    }

   private:
    Object object_;
    std::atomic<int>& reads_;
  };

  std::mutex mutex_;
  std::map<std::string, Object> objects_;
  int version_ = 0;
  std::atomic<int> reads_{0};
};

class Downloads : public ::testing::Test {
 protected:
  Downloads() {
    bytes_.resize(300 * 1024);
    for (std::size_t i = 0; i < bytes_.size(); ++i) bytes_[i] = static_cast<std::uint8_t>(i * 7);
    store_.put("jobs/a/out/0", bytes_);
    http::Router router;
    router.get(
        "/objects/{key}", [this](http::Request& request) -> http::net::awaitable<http::Response> {
          auto reader = store_.open_reader("jobs/a/out/" + std::string(request.param("key")));
          if (!reader) co_return http::Response::error(Status::not_found, "no such object");
          co_return http::Response::stream(std::make_shared<api::ObjectSource>(std::move(reader)),
                                           "image/webp");
        });
    server_ = std::make_unique<ht::TestServer>(std::move(router));
  }
  ht::Message fetch(const std::vector<std::pair<Field, std::string>>& headers) {
    auto request = ht::make_request(Verb::get, "/objects/0");
    for (const auto& [name, value] : headers) request.set(name, value);
    return ht::Connection(server_->port()).roundtrip(request);
  }
  std::string slice(std::size_t from, std::size_t to) const {
    return std::string(bytes_.begin() + static_cast<std::ptrdiff_t>(from),
                       bytes_.begin() + static_cast<std::ptrdiff_t>(to));
  }

  MemoryObjectStore store_;
  std::vector<std::uint8_t> bytes_;
  std::unique_ptr<ht::TestServer> server_;
};

TEST_F(Downloads, WholeObjectWithItsEtagReadInChunks) {
  const auto response = fetch({});
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response.body(), slice(0, bytes_.size()));
  EXPECT_EQ(response[Field::etag], "\"v1\"");
  EXPECT_EQ(response[Field::accept_ranges], "bytes");
  EXPECT_EQ(response[Field::content_type], "image/webp");
  EXPECT_GE(store_.reads(), 5);  // 300 KiB in 64 KiB chunks: never the whole object at once
}

TEST_F(Downloads, RangeIfRangeIfMatchAndNotModified) {
  auto partial = fetch({{Field::range, "bytes=1000-1999"}});
  EXPECT_EQ(partial.result(), Status::partial_content);
  EXPECT_EQ(partial[Field::content_range], "bytes 1000-1999/" + std::to_string(bytes_.size()));
  EXPECT_EQ(partial.body(), slice(1000, 2000));

  auto suffix = fetch({{Field::range, "bytes=-10"}});
  EXPECT_EQ(suffix.body(), slice(bytes_.size() - 10, bytes_.size()));

  // A stale If-Range: the whole current object, not a part of it.
  auto stale = fetch({{Field::range, "bytes=0-9"}, {Field::if_range, "\"v0\""}});
  EXPECT_EQ(stale.result(), Status::ok);
  EXPECT_EQ(stale.body().size(), bytes_.size());

  auto same = fetch({{Field::if_none_match, "\"v1\""}});
  EXPECT_EQ(same.result(), Status::not_modified);
  EXPECT_TRUE(same.body().empty());

  // If-Match: the bytes only while they are the version named (strongly), else 412 and none.
  EXPECT_EQ(fetch({{Field::if_match, "\"v1\""}}).body(), slice(0, bytes_.size()));
  EXPECT_EQ(fetch({{Field::if_match, "\"v0\", *"}}).result(), Status::ok);
  for (const std::string other : {"\"v0\"", "W/\"v1\""}) {
    auto refused = fetch({{Field::if_match, other}, {Field::range, "bytes=0-9"}});
    EXPECT_EQ(refused.result(), Status::precondition_failed) << other;
    EXPECT_NE(refused.body().find("\"field\":\"If-Match\""), std::string::npos) << refused.body();
  }

  auto outside = fetch({{Field::range, "bytes=999999-"}});
  EXPECT_EQ(outside.result(), Status::range_not_satisfiable);
  EXPECT_EQ(outside[Field::content_range], "bytes */" + std::to_string(bytes_.size()));
}

TEST_F(Downloads, MissingObjectIs404) {
  auto request = ht::make_request(Verb::get, "/objects/9");
  EXPECT_EQ(ht::Connection(server_->port()).roundtrip(request).result(), Status::not_found);
}

}  // namespace
}  // namespace imagesprint
