#pragma once
// The RateLimiter port's contract (ports/rate_limiter.hpp) as tests, for every implementation
// (in process; Redis). An implementation joins by instantiating the suite with a factory maker:
//
//   INSTANTIATE_TEST_SUITE_P(Redis, RateLimiterContract,
//                            ::testing::Values(RateLimiterImplementation{"redis", make_it}),
//                            RateLimiterContract::name_of);
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "ports/rate_limiter.hpp"

namespace imagesprint::test {

/// The limiters of one test and what they live on (cleaned up when dropped).
class LimitersUnderTest {
 public:
  virtual ~LimitersUnderTest() = default;
  virtual RateLimiterFactory& limiters() = 0;
};

/// `clock`: milliseconds for the limiters to use, moved by hand.
using MakeLimiters =
    std::function<std::unique_ptr<LimitersUnderTest>(std::function<std::int64_t()> clock)>;

struct RateLimiterImplementation {
  std::string name;
  MakeLimiters make;
};

class RateLimiterContract : public ::testing::TestWithParam<RateLimiterImplementation> {
 public:
  static std::string name_of(const ::testing::TestParamInfo<RateLimiterImplementation>& info) {
    return info.param.name;
  }

 protected:
  static constexpr std::int64_t START = 1'700'000'000'000;

  void SetUp() override {
    under_test_ = GetParam().make([this] { return now_.load(); });
  }
  std::unique_ptr<RateLimiter> limiter(const std::string& scope, int limit,
                                       std::chrono::milliseconds window) {
    return under_test_->limiters()(scope, limit, window);
  }
  void advance(std::chrono::milliseconds by) { now_ += by.count(); }

 private:
  std::atomic<std::int64_t> now_{START};
  std::unique_ptr<LimitersUnderTest> under_test_;
};

}  // namespace imagesprint::test
