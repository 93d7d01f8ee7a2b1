#include "app/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace imagesprint {
namespace {

TEST(RateLimiter, AllowsUpToTheLimitPerWindowAndKey) {
  RateLimiter limiter(3, std::chrono::seconds(60));
  const auto t0 = RateLimiter::Clock::time_point{} + std::chrono::hours(1);
  EXPECT_TRUE(limiter.allow("a", t0));
  EXPECT_TRUE(limiter.allow("a", t0 + std::chrono::seconds(1)));
  EXPECT_TRUE(limiter.allow("a", t0 + std::chrono::seconds(2)));
  EXPECT_FALSE(limiter.allow("a", t0 + std::chrono::seconds(3)));
  EXPECT_TRUE(limiter.allow("b", t0 + std::chrono::seconds(3)));  // keys are independent
  // The window slides: a minute after the first attempt, one slot is free again.
  EXPECT_TRUE(limiter.allow("a", t0 + std::chrono::seconds(60)));
  EXPECT_FALSE(limiter.allow("a", t0 + std::chrono::seconds(60)));
}

}  // namespace
}  // namespace imagesprint
