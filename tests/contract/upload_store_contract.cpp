// The UploadStore contract (ports/upload_store.hpp): records scoped by owner, claims taken only
// at the named offset and by one request at a time (also between processes), released with the
// new offset, lapsing at their time; expiry and usage for the janitor and the quotas.
#include <latch>
#include <thread>

#include "record_stores_contract.hpp"

namespace imagesprint::test {
namespace {

Upload upload(const std::string& id, std::int64_t user, std::int64_t length,
              UnixMillis expires_at = 10'000) {
  Upload u;
  u.id = id;
  u.user_id = user;
  u.length = length;
  u.filename = "사진 1.jpg";
  u.filetype = "image/jpeg";
  u.metadata = "filename 7IKs7KeEIDEuanBn,filetype aW1hZ2UvanBlZw==";
  u.created_at = 1000;
  u.expires_at = expires_at;
  return u;
}

TEST_P(UploadStoreContract, KeepsWhatWasCreatedForItsOwnerOnly) {
  const Upload a = upload("up-a", 1, 5000);
  uploads().create(a);
  const auto found = uploads().find(1, "up-a");
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, a);
  EXPECT_FALSE(found->complete());
  EXPECT_FALSE(uploads().find(2, "up-a"));  // another user's is not found
  EXPECT_FALSE(uploads().find(1, "up-b"));
  EXPECT_FALSE(uploads().remove(2, "up-a"));
  EXPECT_EQ(uploads().claim(2, "up-a", 0, "t", 1000, 2000), UploadClaim::not_found);
  reopen();
  EXPECT_EQ(uploads().find(1, "up-a"), a);
  EXPECT_TRUE(uploads().remove(1, "up-a"));
  EXPECT_FALSE(uploads().find(1, "up-a"));
  EXPECT_FALSE(uploads().remove(1, "up-a"));
}

TEST_P(UploadStoreContract, ClaimsAtTheOffsetOnlyAndReleasesWithTheNewOne) {
  uploads().create(upload("up", 1, 100));
  EXPECT_EQ(uploads().claim(1, "up", 10, "t1", 1000, 2000), UploadClaim::offset_mismatch);
  ASSERT_EQ(uploads().claim(1, "up", 0, "t1", 1000, 2000), UploadClaim::claimed);
  // Held: a second request waits its turn, whatever offset it names.
  EXPECT_EQ(uploads().claim(1, "up", 0, "t2", 1500, 2500), UploadClaim::busy);
  EXPECT_FALSE(uploads().release("up", "t2", 40));  // not the holder: nothing changes
  EXPECT_EQ(uploads().find(1, "up")->offset, 0);
  ASSERT_TRUE(uploads().release("up", "t1", 40));
  EXPECT_EQ(uploads().find(1, "up")->offset, 40);
  EXPECT_FALSE(uploads().release("up", "t1", 80));  // released once only
  EXPECT_EQ(uploads().claim(1, "up", 0, "t3", 1600, 2600), UploadClaim::offset_mismatch);
  ASSERT_EQ(uploads().claim(1, "up", 40, "t3", 1600, 2600), UploadClaim::claimed);
  ASSERT_TRUE(uploads().release("up", "t3", 100));
  EXPECT_TRUE(uploads().find(1, "up")->complete());
}

TEST_P(UploadStoreContract, AClaimLapsesAtItsTime) {
  uploads().create(upload("up", 1, 100));
  ASSERT_EQ(uploads().claim(1, "up", 0, "dead", 1000, 2000), UploadClaim::claimed);
  EXPECT_EQ(uploads().claim(1, "up", 0, "next", 1999, 3000), UploadClaim::busy);
  ASSERT_EQ(uploads().claim(1, "up", 0, "next", 2000, 3000), UploadClaim::claimed);
  EXPECT_FALSE(uploads().release("up", "dead", 50));  // the lapsed holder changes nothing
  ASSERT_TRUE(uploads().release("up", "next", 20));
  EXPECT_EQ(uploads().find(1, "up")->offset, 20);
}

TEST_P(UploadStoreContract, AJobTakesAnUploadOnceAndForAll) {
  uploads().create(upload("up", 1, 100));
  ASSERT_EQ(uploads().claim(1, "up", 0, "t", 1000, 2000), UploadClaim::claimed);
  ASSERT_TRUE(uploads().release("up", "t", 100));
  ASSERT_EQ(uploads().claim(1, "up", 100, "job", 1000, 2000), UploadClaim::claimed);
  ASSERT_TRUE(uploads().release("up", "job", 100, "job-1"));
  EXPECT_EQ(uploads().find(1, "up")->job_id, "job-1");
  EXPECT_EQ(uploads().claim(1, "up", 100, "again", 1000, 2000), UploadClaim::taken);
}

TEST_P(UploadStoreContract, ListsTheExpiredOldestFirstAndCountsTheOpenOnes) {
  uploads().create(upload("late", 1, 300, 9000));
  uploads().create(upload("early", 1, 200, 5000));
  uploads().create(upload("other", 2, 1000, 5000));
  uploads().create(upload("taken", 1, 50, 9000));
  ASSERT_EQ(uploads().claim(1, "taken", 0, "t", 1000, 2000), UploadClaim::claimed);
  ASSERT_TRUE(uploads().release("taken", "t", 50, "job-1"));

  const UploadUsage usage = uploads().usage(1, 1000);
  EXPECT_EQ(usage.uploads, 2);  // "taken" belongs to its job now
  EXPECT_EQ(usage.bytes, 500);
  EXPECT_EQ(uploads().usage(1, 6000).uploads, 1);  // "early" expired
  EXPECT_EQ(uploads().usage(3, 1000).uploads, 0);

  EXPECT_TRUE(uploads().expired(4999, 10).empty());
  const auto due = uploads().expired(9000, 10);
  ASSERT_EQ(due.size(), 4u);
  EXPECT_EQ(due[0].expires_at, 5000);
  EXPECT_EQ(due[3].expires_at, 9000);
  EXPECT_EQ(uploads().expired(9000, 2).size(), 2u);
  uploads().remove("early");
  EXPECT_FALSE(uploads().find(1, "early"));
  EXPECT_EQ(uploads().expired(9000, 10).size(), 3u);
}

TEST_P(UploadStoreContract, TwoClaimsAtOnceOneWins) {
  // Two processes (stores on connections of their own) claim the same upload at the same offset
  // at the same time, round after round: exactly one holds it.
  auto first = open_another();
  auto second = open_another();
  for (int round = 0; round < 10; ++round) {
    const std::string id = "race-" + std::to_string(round);
    uploads().create(upload(id, 1, 100));
    UploadClaim a{}, b{};
    std::string error;
    std::latch start(2);
    std::thread other([&] {
      start.arrive_and_wait();
      try {
        b = second->uploads().claim(1, id, 0, "b", 1000, 5000);
      } catch (const std::exception& e) {
        error = e.what();
      }
    });
    start.arrive_and_wait();
    ASSERT_NO_THROW(a = first->uploads().claim(1, id, 0, "a", 1000, 5000));
    other.join();
    ASSERT_EQ(error, "");
    EXPECT_EQ((a == UploadClaim::claimed) + (b == UploadClaim::claimed), 1) << id;
    EXPECT_EQ((a == UploadClaim::busy) + (b == UploadClaim::busy), 1) << id;
  }
}

}  // namespace
}  // namespace imagesprint::test
