// The ObjectStore contract; see object_store_contract.hpp and ports/object_store.hpp.
#include "object_store_contract.hpp"

#include <algorithm>
#include <thread>

namespace imagesprint::test {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes_of(std::string_view text) {
  return Bytes(text.begin(), text.end());
}

TEST_P(ObjectStoreContract, PutGetStatRemove) {
  const ObjectInfo info = store().put("jobs/j1/in/0", bytes_of("hello"));
  EXPECT_EQ(info.key, "jobs/j1/in/0");
  EXPECT_EQ(info.size, 5u);
  EXPECT_FALSE(info.etag.empty());

  EXPECT_EQ(store().get("jobs/j1/in/0"), bytes_of("hello"));
  EXPECT_EQ(store().stat("jobs/j1/in/0"), info);
  EXPECT_EQ(store().get("jobs/j1/in/1"), std::nullopt);
  EXPECT_EQ(store().stat("jobs/j1/in/1"), std::nullopt);
  EXPECT_EQ(store().open_reader("jobs/j1/in/1"), nullptr);
  EXPECT_EQ(store().stat("jobs/j1"), std::nullopt) << "a prefix is not an object";

  EXPECT_TRUE(store().remove("jobs/j1/in/0"));
  EXPECT_FALSE(store().remove("jobs/j1/in/0"));
  EXPECT_EQ(store().get("jobs/j1/in/0"), std::nullopt);
  EXPECT_TRUE(store().list("").empty());
}

TEST_P(ObjectStoreContract, EmptyAndBinaryObjects) {
  Bytes all(256 * 4);
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i);
  store().put("bin", all);
  store().put("empty", {});
  EXPECT_EQ(store().get("bin"), all);
  EXPECT_EQ(store().get("empty"), Bytes{});
  EXPECT_EQ(store().stat("empty")->size, 0u);
}

TEST_P(ObjectStoreContract, AnOverwriteReplacesTheWholeObjectAndItsEtag) {
  const ObjectInfo first = store().put("k", bytes_of("first version, longer"));
  const ObjectInfo second = store().put("k", bytes_of("second"));
  EXPECT_EQ(store().get("k"), bytes_of("second"));
  EXPECT_EQ(store().stat("k"), second);
  EXPECT_NE(first.etag, second.etag);
  EXPECT_EQ(store().list("").size(), 1u);
}

TEST_P(ObjectStoreContract, AStreamedObjectAppearsOnlyOnCommit) {
  auto writer = store().open_writer("jobs/j/in/3");
  const Bytes chunk(64 * 1024, 0xAB);
  for (int i = 0; i < 40; ++i) writer->write(chunk);
  writer->write(bytes_of("end"));
  EXPECT_EQ(store().stat("jobs/j/in/3"), std::nullopt) << "invisible before commit";
  EXPECT_TRUE(store().list("jobs/").empty()) << "nor listed";
  const ObjectInfo info = writer->commit();
  EXPECT_EQ(info.size, 40u * chunk.size() + 3);
  EXPECT_THROW(writer->write(chunk), std::logic_error);
  EXPECT_THROW(writer->commit(), std::logic_error);
  writer.reset();

  const auto bytes = store().get("jobs/j/in/3");
  ASSERT_TRUE(bytes);
  EXPECT_EQ(bytes->size(), info.size);
  EXPECT_EQ(std::count(bytes->begin(), bytes->end(), 0xAB), 40 * 64 * 1024);
  EXPECT_EQ(store().stat("jobs/j/in/3"), info);
}

TEST_P(ObjectStoreContract, AnAbandonedWriterLeavesTheOldObject) {
  store().put("k", bytes_of("old"));
  {
    auto writer = store().open_writer("k");
    writer->write(bytes_of("new, never committed"));
  }
  EXPECT_EQ(store().get("k"), bytes_of("old"));
  {
    auto writer = store().open_writer("fresh/key");
    writer->write(bytes_of("x"));
  }
  EXPECT_EQ(store().stat("fresh/key"), std::nullopt);
  EXPECT_EQ(store().list("").size(), 1u);
}

TEST_P(ObjectStoreContract, AReaderReadsRangesOfTheVersionItOpened) {
  store().put("k", bytes_of("0123456789"));
  auto reader = store().open_reader("k");
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->info().size, 10u);
  EXPECT_EQ(reader->info(), *store().stat("k"));

  Bytes out(4);
  EXPECT_EQ(reader->read_at(3, out), 4u);
  EXPECT_EQ(out, bytes_of("3456"));
  EXPECT_EQ(reader->read_at(8, out), 2u) << "short at the end";
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 2), bytes_of("89"));
  EXPECT_EQ(reader->read_at(10, out), 0u);
  EXPECT_EQ(reader->read_at(1'000'000, out), 0u);
  Bytes none;
  EXPECT_EQ(reader->read_at(0, none), 0u);

  // Overwritten and then deleted meanwhile: the open reader keeps its version.
  store().put("k", bytes_of("abcdefghij-new"));
  store().remove("k");
  Bytes all(10);
  EXPECT_EQ(reader->read_at(0, all), 10u);
  EXPECT_EQ(all, bytes_of("0123456789"));
}

TEST_P(ObjectStoreContract, ListsByPlainPrefixSortedByKey) {
  for (const char* key : {"jobs/b/out/1", "jobs/a/in/0", "jobs/ab/in/0", "jobs/a/in/1",
                          "jobs/a/out/0", "archives/a.zip", "jobsx"}) {
    store().put(key, bytes_of(key));
  }
  const auto keys = [&](std::string_view prefix) {
    std::vector<std::string> out;
    for (const ObjectInfo& o : store().list(prefix)) {
      out.push_back(o.key);
      EXPECT_EQ(o.size, o.key.size());
    }
    return out;
  };
  using Keys = std::vector<std::string>;
  EXPECT_EQ(keys("jobs/a/"), (Keys{"jobs/a/in/0", "jobs/a/in/1", "jobs/a/out/0"}));
  EXPECT_EQ(keys("jobs/a"), (Keys{"jobs/a/in/0", "jobs/a/in/1", "jobs/a/out/0", "jobs/ab/in/0"}))
      << "a prefix is a string prefix, as in S3";
  EXPECT_EQ(keys("jobs/a/in/1"), (Keys{"jobs/a/in/1"}));
  EXPECT_EQ(keys("jobs"), (Keys{"jobs/a/in/0", "jobs/a/in/1", "jobs/a/out/0", "jobs/ab/in/0",
                                "jobs/b/out/1", "jobsx"}));
  EXPECT_EQ(keys("").size(), 7u);
  EXPECT_TRUE(keys("nothing/").empty());
  EXPECT_TRUE(keys("jobsx/").empty());
  EXPECT_THROW(store().list("../"), InvalidObjectKey);
}

TEST_P(ObjectStoreContract, RemovesByPrefix) {
  for (const char* key : {"jobs/a/in/0", "jobs/a/in/1", "jobs/a/out/0", "jobs/ab/in/0"}) {
    store().put(key, bytes_of("x"));
  }
  EXPECT_EQ(store().remove_prefix("jobs/a/"), 3u);
  EXPECT_EQ(store().list("").size(), 1u);
  EXPECT_EQ(store().remove_prefix("jobs/a/"), 0u);
  EXPECT_THROW(store().remove_prefix(""), InvalidObjectKey) << "never everything by accident";
  EXPECT_EQ(store().remove_prefix("jobs/"), 1u);
  EXPECT_TRUE(store().list("").empty());
}

TEST_P(ObjectStoreContract, InvalidKeysAreRefusedBeforeAnyUse) {
  for (const std::string& key : std::vector<std::string>{"../outside", "/tmp/x", "a/../../outside",
                                                         "a\\b", "", "a//b", ".hidden", "a b"}) {
    EXPECT_THROW(store().put(key, bytes_of("x")), InvalidObjectKey) << key;
    EXPECT_THROW(store().open_writer(key), InvalidObjectKey) << key;
    EXPECT_THROW(store().get(key), InvalidObjectKey) << key;
    EXPECT_THROW(store().open_reader(key), InvalidObjectKey) << key;
    EXPECT_THROW(store().stat(key), InvalidObjectKey) << key;
    EXPECT_THROW(store().remove(key), InvalidObjectKey) << key;
    EXPECT_THROW(store().presign(PresignMethod::get, key, std::chrono::seconds(60)),
                 InvalidObjectKey)
        << key;
  }
  EXPECT_TRUE(store().list("").empty());
}

TEST_P(ObjectStoreContract, APresignedLinkServesItsObjectUntilItExpires) {
  store().put("jobs/j/out/0.webp", bytes_of("zero"));
  store().put("jobs/j/out/1.webp", bytes_of("one"));
  const PresignedUrl url =
      store().presign(PresignMethod::get, "jobs/j/out/0.webp", std::chrono::seconds(600));
  EXPECT_EQ(url.expires_at, START + 600'000);
  EXPECT_EQ(follow(url), bytes_of("zero"));

  // The same signature on another key, or a link for another method, opens nothing.
  PresignedUrl other = url;
  const auto at = other.url.find("0.webp");
  ASSERT_NE(at, std::string::npos);
  other.url.replace(at, 1, "1");
  EXPECT_EQ(follow(other), std::nullopt);
  const PresignedUrl put =
      store().presign(PresignMethod::put, "jobs/j/out/0.webp", std::chrono::seconds(600));
  EXPECT_NE(put.url, url.url);
  EXPECT_EQ(follow(put), std::nullopt) << "a PUT link is no GET link";

  advance(600'000);
  EXPECT_EQ(follow(url), bytes_of("zero")) << "valid through its last second";
  advance(1000);
  EXPECT_EQ(follow(url), std::nullopt) << "expired";

  EXPECT_THROW(store().presign(PresignMethod::get, "k", std::chrono::seconds(0)),
               std::invalid_argument);
  EXPECT_THROW(store().presign(PresignMethod::get, "k",
                               ObjectStore::MAX_PRESIGN_TTL + std::chrono::seconds(1)),
               std::invalid_argument);
  EXPECT_NO_THROW(store().presign(PresignMethod::put, "k", ObjectStore::MAX_PRESIGN_TTL));
}

TEST_P(ObjectStoreContract, ConcurrentOverwritesAreNeverSeenHalfDone) {
  // Writer w stores (w+1) * 10000 bytes of value w: a reader can tell a whole version from a
  // torn one by its size and content.
  constexpr int WRITERS = 3;
  std::atomic<bool> stop{false};
  std::atomic<int> torn{0};
  std::atomic<int> reads{0};
  store().put("shared/key", Bytes(10000, 0));
  std::vector<std::thread> threads;
  for (int w = 0; w < WRITERS; ++w) {
    threads.emplace_back([&, w] {
      const Bytes version(static_cast<std::size_t>(w + 1) * 10000, static_cast<std::uint8_t>(w));
      for (int i = 0; i < 30; ++i) store().put("shared/key", version);
    });
  }
  std::thread reader([&] {
    // At least one read, then as many as the writers leave room for.
    do {
      const auto bytes = store().get("shared/key");
      if (!bytes || bytes->empty()) {
        ++torn;
        continue;
      }
      const auto w = (*bytes)[0];
      if (bytes->size() != static_cast<std::size_t>(w + 1) * 10000 ||
          std::count(bytes->begin(), bytes->end(), w) != static_cast<long>(bytes->size())) {
        ++torn;
      }
      ++reads;
    } while (!stop);
  });
  for (auto& t : threads) t.join();
  stop = true;
  reader.join();
  EXPECT_EQ(torn, 0);
  EXPECT_GT(reads, 0);
}

}  // namespace
}  // namespace imagesprint::test
