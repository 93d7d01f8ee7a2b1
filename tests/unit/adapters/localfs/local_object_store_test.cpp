// What is particular to LocalObjectStore: keys as paths, folders pruned, temporary files,
// symbolic links, its signatures. What every ObjectStore must do is in
// tests/contract/object_store_contract.cpp, run for this store too.
#include "adapters/localfs/local_object_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "../temp_folder.hpp"

namespace imagesprint::test {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

Bytes bytes_of(std::string_view text) {
  return Bytes(text.begin(), text.end());
}

/// Files under `folder` whose name starts with ".tmp-" (left-overs of writes).
int temporaries_under(const fs::path& folder) {
  int count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.path().filename().string().rfind(".tmp-", 0) == 0) ++count;
  }
  return count;
}

class LocalObjectStoreTest : public ::testing::Test {
 protected:
  static constexpr UnixMillis START = 1'700'000'000'000;

  LocalObjectStoreTest() : folder_("localfs"), store_(config()) {}

  LocalObjectStoreConfig config() {
    LocalObjectStoreConfig c;
    c.root = folder_ / "objects";
    c.signing_key = std::string(32, 's');
    c.clock = [this] { return now_.load(); };
    return c;
  }

  fs::path root() const { return folder_ / "objects"; }

  TempFolder folder_;
  std::atomic<UnixMillis> now_{START};
  LocalObjectStore store_;
};

TEST_F(LocalObjectStoreTest, PutGetStatRemove) {
  const ObjectInfo info = store_.put("jobs/j1/in/0", bytes_of("hello"));
  EXPECT_EQ(info.key, "jobs/j1/in/0");
  EXPECT_EQ(info.size, 5u);
  EXPECT_FALSE(info.etag.empty());
  EXPECT_TRUE(fs::is_regular_file(root() / "jobs/j1/in/0")) << "the key is the path";

  EXPECT_EQ(store_.get("jobs/j1/in/0"), bytes_of("hello"));
  EXPECT_EQ(store_.stat("jobs/j1/in/0"), info);
  EXPECT_EQ(store_.get("jobs/j1/in/1"), std::nullopt);
  EXPECT_EQ(store_.stat("jobs/j1/in/1"), std::nullopt);
  EXPECT_EQ(store_.open_reader("jobs/j1/in/1"), nullptr);
  EXPECT_EQ(store_.stat("jobs/j1"), std::nullopt) << "a folder is not an object";
  EXPECT_EQ(store_.get("jobs/j1/in/0/deeper"), std::nullopt);

  EXPECT_TRUE(store_.remove("jobs/j1/in/0"));
  EXPECT_FALSE(store_.remove("jobs/j1/in/0"));
  EXPECT_EQ(store_.get("jobs/j1/in/0"), std::nullopt);
  EXPECT_FALSE(fs::exists(root() / "jobs")) << "empty folders are pruned";
  EXPECT_TRUE(fs::is_directory(root())) << "but never the root";
}

TEST_F(LocalObjectStoreTest, OverwriteReplacesWholeAndChangesTheEtag) {
  const ObjectInfo first = store_.put("k", bytes_of("first version, longer"));
  const ObjectInfo second = store_.put("k", bytes_of("second"));
  EXPECT_EQ(store_.get("k"), bytes_of("second"));
  EXPECT_NE(first.etag, second.etag);
  EXPECT_EQ(temporaries_under(root()), 0);
}

TEST_F(LocalObjectStoreTest, StreamingWriterPublishesOnlyOnCommit) {
  auto writer = store_.open_writer("jobs/j/in/3");
  const Bytes chunk(64 * 1024, 0xAB);
  for (int i = 0; i < 40; ++i) writer->write(chunk);
  writer->write(bytes_of("end"));
  EXPECT_EQ(store_.stat("jobs/j/in/3"), std::nullopt) << "invisible before commit";
  EXPECT_TRUE(store_.list("jobs/").empty()) << "the temporary file is not listed";
  const ObjectInfo info = writer->commit();
  EXPECT_EQ(info.size, 40u * chunk.size() + 3);
  EXPECT_THROW(writer->write(chunk), std::logic_error);
  EXPECT_THROW(writer->commit(), std::logic_error);
  writer.reset();

  const auto bytes = store_.get("jobs/j/in/3");
  ASSERT_TRUE(bytes);
  EXPECT_EQ(bytes->size(), info.size);
  EXPECT_EQ(std::count(bytes->begin(), bytes->end(), 0xAB), 40 * 64 * 1024);
  EXPECT_EQ(temporaries_under(root()), 0);
}

TEST_F(LocalObjectStoreTest, AbandonedWriterLeavesTheOldObjectAndNoTrace) {
  store_.put("k", bytes_of("old"));
  {
    auto writer = store_.open_writer("k");
    writer->write(bytes_of("new, never committed"));
    EXPECT_EQ(temporaries_under(root()), 1);
  }
  EXPECT_EQ(store_.get("k"), bytes_of("old"));
  EXPECT_EQ(temporaries_under(root()), 0);
  {
    auto writer = store_.open_writer("fresh/key");
    writer->write(bytes_of("x"));
  }
  EXPECT_EQ(store_.stat("fresh/key"), std::nullopt);
}

TEST_F(LocalObjectStoreTest, RemovesByPrefix) {
  for (const char* key : {"jobs/a/in/0", "jobs/a/in/1", "jobs/a/out/0", "jobs/ab/in/0"}) {
    store_.put(key, bytes_of("x"));
  }
  EXPECT_EQ(store_.remove_prefix("jobs/a/"), 3u);
  EXPECT_FALSE(fs::exists(root() / "jobs/a"));
  EXPECT_EQ(store_.list("").size(), 1u);
  EXPECT_EQ(store_.remove_prefix("jobs/a/"), 0u);
  EXPECT_THROW(store_.remove_prefix(""), InvalidObjectKey) << "never everything by accident";
  EXPECT_EQ(store_.remove_prefix("jobs/"), 1u);
  EXPECT_TRUE(fs::is_directory(root()));
  EXPECT_TRUE(fs::is_empty(root()));
}

TEST_F(LocalObjectStoreTest, RemovingAPrefixEndsTheWritesInProgressUnderIt) {
  // A write under a removed prefix (the upload of a dead process, an output of a deleted job)
  // leaves nothing behind, and cannot bring an object back by committing afterwards.
  auto dead = store_.open_writer("jobs/a/in/0");
  dead->write(bytes_of("half an upload"));
  auto elsewhere = store_.open_writer("jobs/ab/in/10");
  elsewhere->write(bytes_of("another job"));
  auto cut_short = store_.open_writer("jobs/ab/in/2");
  cut_short->write(bytes_of("a prefix naming in/1 covers no folder whole"));
  EXPECT_EQ(temporaries_under(root()), 3);
  EXPECT_EQ(store_.remove_prefix("jobs/a/"), 0u);
  EXPECT_EQ(temporaries_under(root()), 2);
  EXPECT_FALSE(fs::exists(root() / "jobs/a"));
  EXPECT_THROW(dead->commit(), StorageError);
  EXPECT_EQ(store_.stat("jobs/a/in/0"), std::nullopt);
  EXPECT_EQ(store_.remove_prefix("jobs/ab/in/1"), 0u);
  EXPECT_EQ(temporaries_under(root()), 2);
  elsewhere->commit();
  cut_short->commit();
  EXPECT_EQ(store_.get("jobs/ab/in/10"), bytes_of("another job"));
}

TEST_F(LocalObjectStoreTest, AKeyIsNeverAlsoAFolder) {
  store_.put("a", bytes_of("file"));
  EXPECT_THROW(store_.put("a/b", bytes_of("x")), StorageError);
  store_.put("c/d", bytes_of("x"));
  EXPECT_THROW(store_.put("c", bytes_of("x")), StorageError);
  EXPECT_EQ(store_.get("a"), bytes_of("file"));
  EXPECT_EQ(store_.get("c/d"), bytes_of("x"));
  EXPECT_EQ(temporaries_under(root()), 0);
  EXPECT_FALSE(store_.remove("c")) << "a folder is not removed as an object";
}

TEST_F(LocalObjectStoreTest, InvalidKeysTouchNothing) {
  const fs::path outside = folder_ / "outside";
  for (const std::string& key :
       std::vector<std::string>{"../outside", "/tmp/x", "a/../../outside", "a\\b", "", "a//b"}) {
    EXPECT_THROW(store_.put(key, bytes_of("x")), InvalidObjectKey) << key;
    EXPECT_THROW(store_.open_writer(key), InvalidObjectKey) << key;
    EXPECT_THROW(store_.get(key), InvalidObjectKey) << key;
    EXPECT_THROW(store_.open_reader(key), InvalidObjectKey) << key;
    EXPECT_THROW(store_.stat(key), InvalidObjectKey) << key;
    EXPECT_THROW(store_.remove(key), InvalidObjectKey) << key;
    EXPECT_THROW(store_.presign(PresignMethod::get, key, std::chrono::seconds(60)),
                 InvalidObjectKey)
        << key;
  }
  EXPECT_FALSE(fs::exists(outside));
  EXPECT_TRUE(fs::is_empty(root()));
}

TEST_F(LocalObjectStoreTest, SymbolicLinksAreNotFollowedOutOfTheRoot) {
  const fs::path secret = folder_ / "secret.txt";
  std::ofstream(secret) << "do not serve";
  fs::create_directories(root() / "jobs");
  fs::create_symlink(secret, root() / "jobs/link");
  EXPECT_THROW(store_.get("jobs/link"), StorageError);
  EXPECT_THROW(store_.stat("jobs/link"), StorageError);
  EXPECT_TRUE(store_.list("jobs/").empty());
}

TEST_F(LocalObjectStoreTest, PresignedUrlsAreCheckedForMethodKeyAndTime) {
  const PresignedUrl url =
      store_.presign(PresignMethod::get, "jobs/j/out/0.webp", std::chrono::seconds(600));
  EXPECT_TRUE(url.relative);
  EXPECT_EQ(url.expires_at, START + 600'000);
  const std::string expires = std::to_string(START / 1000 + 600);
  const std::string head = "/v1/objects/jobs/j/out/0.webp?expires=" + expires + "&signature=";
  ASSERT_EQ(url.url.rfind(head, 0), 0u) << url.url;
  const std::string signature = url.url.substr(head.size());
  EXPECT_EQ(signature.size(), 64u);

  const auto check = [&](PresignMethod method, std::string_view key) {
    return store_.check_presigned(method, key, expires, signature);
  };
  EXPECT_EQ(check(PresignMethod::get, "jobs/j/out/0.webp"), SignatureCheck::valid);
  EXPECT_EQ(check(PresignMethod::put, "jobs/j/out/0.webp"), SignatureCheck::forged);
  EXPECT_EQ(check(PresignMethod::get, "jobs/j/out/1.webp"), SignatureCheck::forged);
  EXPECT_EQ(check(PresignMethod::get, "jobs/j/../j/out/0.webp"), SignatureCheck::malformed);
  now_ += 600'000;
  EXPECT_EQ(check(PresignMethod::get, "jobs/j/out/0.webp"), SignatureCheck::valid);
  now_ += 1000;
  EXPECT_EQ(check(PresignMethod::get, "jobs/j/out/0.webp"), SignatureCheck::expired);

  // Another store with another secret does not accept it.
  LocalObjectStoreConfig other = config();
  other.signing_key = std::string(32, 'o');
  now_ -= 601'000;
  EXPECT_EQ(LocalObjectStore(other).check_presigned(PresignMethod::get, "jobs/j/out/0.webp",
                                                    expires, signature),
            SignatureCheck::forged);

  EXPECT_THROW(store_.presign(PresignMethod::get, "k", std::chrono::seconds(0)),
               std::invalid_argument);
  EXPECT_THROW(store_.presign(PresignMethod::get, "k",
                              ObjectStore::MAX_PRESIGN_TTL + std::chrono::seconds(1)),
               std::invalid_argument);
  EXPECT_NO_THROW(store_.presign(PresignMethod::put, "k", ObjectStore::MAX_PRESIGN_TTL));
}

TEST_F(LocalObjectStoreTest, StaleTemporariesAreCleanedUpFreshOnesKept) {
  fs::create_directories(root() / "jobs/j");
  const fs::path stale = root() / "jobs/j/.tmp-deadbeef";
  const fs::path fresh = root() / "jobs/j/.tmp-cafebabe";
  std::ofstream(stale) << "crashed write";
  std::ofstream(fresh) << "write in progress";
  // The stale one was last written two hours before the store's clock.
  const struct timespec old_time { static_cast<time_t>(START / 1000 - 7200), 0 };
  const struct timespec times[2] = {old_time, old_time};
  ASSERT_EQ(::utimensat(AT_FDCWD, stale.c_str(), times, 0), 0);
  const struct timespec now_time { static_cast<time_t>(START / 1000), 0 };
  const struct timespec now_times[2] = {now_time, now_time};
  ASSERT_EQ(::utimensat(AT_FDCWD, fresh.c_str(), now_times, 0), 0);

  EXPECT_EQ(store_.remove_stale_temporaries(std::chrono::hours(1)), 1u);
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(fresh));
}

TEST_F(LocalObjectStoreTest, ConcurrentOverwritesLeaveNoTemporaries) {
  // That no reader sees a torn version is the object-store contract's test
  // (ObjectStoreContract.ConcurrentOverwritesAreNeverSeenHalfDone). Here: every writer's
  // temporary file is gone afterwards, renamed into place or removed.
  std::vector<std::thread> threads;
  for (int w = 0; w < 3; ++w) {
    threads.emplace_back([&, w] {
      const Bytes version(static_cast<std::size_t>(w + 1) * 10000, static_cast<std::uint8_t>(w));
      for (int i = 0; i < 30; ++i) store_.put("shared/key", version);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(temporaries_under(root()), 0);
  const auto last = store_.get("shared/key");
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->size(), static_cast<std::size_t>((*last)[0] + 1) * 10000);
}

TEST_F(LocalObjectStoreTest, WritesRaceWithFolderPruning) {
  // Two threads keep filling and emptying one folder (each remove() may prune it): a write must
  // recreate the folder when needed and a remove must not trip over a folder already pruned.
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::string first_failure;
  std::mutex mutex;
  const auto churn = [&](const std::string& key, int rounds) {
    for (int i = 0; (rounds < 0 ? !stop.load() : i < rounds); ++i) {
      try {
        store_.put(key, bytes_of(key));
        if (!store_.remove(key)) throw std::runtime_error("remove found nothing");
      } catch (const std::exception& e) {
        const std::lock_guard lock(mutex);
        if (failures++ == 0) first_failure = key + ": " + e.what();
      }
    }
  };
  std::thread other([&] { churn("race/a", -1); });
  churn("race/b", 200);
  stop = true;
  other.join();
  EXPECT_EQ(failures, 0) << first_failure;
  EXPECT_EQ(temporaries_under(root()), 0);
}

TEST_F(LocalObjectStoreTest, RootWithATrailingSlashIsNeverPruned) {
  LocalObjectStoreConfig c = config();
  c.root = folder_.path().string() + "/slash/";
  LocalObjectStore store(c);
  store.put("only", bytes_of("x"));
  EXPECT_TRUE(store.remove("only"));
  EXPECT_TRUE(fs::is_directory(folder_ / "slash"));
}

TEST_F(LocalObjectStoreTest, RefusesABadConfig) {
  LocalObjectStoreConfig c = config();
  c.signing_key = std::string(31, 'k');
  EXPECT_THROW(LocalObjectStore{c}, std::invalid_argument);
  EXPECT_TRUE(config().validate().empty());
  c = config();
  c.root.clear();
  c.url_prefix = "v1/objects";
  const FieldErrors errors = c.validate();  // every one, not only the first
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "objects");
  EXPECT_EQ(errors[1].field, "url_prefix");
  EXPECT_THROW(LocalObjectStore{c}, std::invalid_argument);
  c = config();
  c.root = folder_ / "file-not-folder";
  std::ofstream(c.root) << "x";
  EXPECT_THROW(LocalObjectStore{c}, StorageError);
}

}  // namespace
}  // namespace imagesprint::test
