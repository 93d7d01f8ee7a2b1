#include "app/permits.hpp"

#include <gtest/gtest.h>

#include "app/quotas.hpp"

namespace imagesprint {
namespace {

TEST(Permits, RefusePastThePerKeyLimitAndGiveBackOnRelease) {
  Permits permits(2, 3);
  auto a = permits.try_acquire(1);
  auto b = permits.try_acquire(1);
  EXPECT_TRUE(a && b);
  EXPECT_FALSE(permits.try_acquire(1));  // user 1 has both of its places
  auto c = permits.try_acquire(2);
  EXPECT_TRUE(c);
  EXPECT_FALSE(permits.try_acquire(3));  // all three places are taken
  EXPECT_EQ(permits.in_use(), 3);
  a.reset();
  EXPECT_EQ(permits.in_use(1), 1);
  EXPECT_TRUE(permits.try_acquire(1));  // a temporary: given back at once
  EXPECT_EQ(permits.in_use(), 2);
}

TEST(Quotas, NameTheLimitThatWasHit) {
  const UserQuotas quotas{2, 10, 1000};
  EXPECT_FALSE(quota_refusal(UserUsage{1, 5, 100}, quotas));
  auto refusal = quota_refusal(UserUsage{2, 5, 100}, quotas);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->code, ErrorCode::quota_exceeded);
  EXPECT_EQ(refusal->field, "max_active_jobs");
  EXPECT_GT(refusal->retry_after, 0);
  EXPECT_EQ(quota_refusal(UserUsage{0, 5, 100}, quotas, 6)->field, "max_queued_images");
  EXPECT_EQ(quota_refusal(UserUsage{0, 0, 900}, quotas, 1, 200)->field, "max_stored_bytes");
}

}  // namespace
}  // namespace imagesprint
