// RedisLeaderLease: one holder at a time across processes (each object is a process here), the
// holder renews, a released lease goes to the next at once, and a lease its holder stopped
// renewing runs out and goes to another.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

#include "adapters/redis/redis_leader_lease.hpp"
#include "redis_test_support.hpp"

namespace imagesprint::test {
namespace {

using std::chrono::milliseconds;

class RedisLeaderLeaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    client_ = std::make_shared<redis::RedisClient>(redis_connection(fixture_redis()));
    prefix_ = fresh_redis_prefix("lease");
  }
  void TearDown() override { delete_redis_prefix(*client_, prefix_); }
  std::unique_ptr<redis::RedisLeaderLease> lease() {
    return std::make_unique<redis::RedisLeaderLease>(client_, prefix_, "janitor");
  }

  std::shared_ptr<redis::RedisClient> client_;
  std::string prefix_;
};

TEST_F(RedisLeaderLeaseTest, OneHolderAtATimeWhoRenews) {
  auto a = lease();
  auto b = lease();
  EXPECT_FALSE(a->held());
  EXPECT_TRUE(a->hold(milliseconds(60'000)));
  EXPECT_FALSE(b->hold(milliseconds(60'000)));
  EXPECT_TRUE(a->hold(milliseconds(60'000)));  // renewed by its holder
  EXPECT_TRUE(a->held());
  EXPECT_FALSE(b->held());
}

TEST_F(RedisLeaderLeaseTest, AReleasedLeaseGoesToTheNextAtOnce) {
  auto a = lease();
  auto b = lease();
  ASSERT_TRUE(a->hold(milliseconds(60'000)));
  a->release();
  EXPECT_FALSE(a->held());
  EXPECT_TRUE(b->hold(milliseconds(60'000)));
  a->release();  // no longer the holder: the successor keeps it
  EXPECT_FALSE(a->hold(milliseconds(60'000)));
}

TEST_F(RedisLeaderLeaseTest, ALeaseNobodyRenewsRunsOutAndGoesToAnother) {
  auto a = lease();
  auto b = lease();
  ASSERT_TRUE(a->hold(milliseconds(200)));  // its holder dies: no renewal, no release
  bool taken = false;
  for (int i = 0; i < 100 && !taken; ++i) {  // bounded: 5 s at most
    taken = b->hold(milliseconds(60'000));
    if (!taken) std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_TRUE(taken);
  EXPECT_FALSE(a->hold(milliseconds(60'000)));  // the old holder does not get it back
}

}  // namespace
}  // namespace imagesprint::test
