// The RateLimiter contract (ports/rate_limiter.hpp): at most `limit` attempts per key in any
// window, refusals not counted, the window sliding, scopes apart, one scope's limiters sharing
// their counts, any key text accepted.
#include "rate_limiter_contract.hpp"

#include <vector>

namespace imagesprint::test {
namespace {

using std::chrono::milliseconds;

TEST_P(RateLimiterContract, AllowsUpToTheLimitPerKey) {
  auto limits = limiter("login", 3, milliseconds(60'000));
  EXPECT_TRUE(limits->allow("a"));
  advance(milliseconds(1));
  EXPECT_TRUE(limits->allow("a"));
  EXPECT_TRUE(limits->allow("a"));
  EXPECT_FALSE(limits->allow("a"));
  EXPECT_FALSE(limits->allow("a"));
  EXPECT_TRUE(limits->allow("b"));  // keys are independent
}

TEST_P(RateLimiterContract, TheWindowSlidesAndRefusalsAreNotCounted) {
  auto limits = limiter("signup", 2, milliseconds(1000));
  EXPECT_TRUE(limits->allow("k"));  // at 0
  advance(milliseconds(400));
  EXPECT_TRUE(limits->allow("k"));  // at 400
  for (int i = 0; i < 5; ++i) {
    advance(milliseconds(100));
    EXPECT_FALSE(limits->allow("k"));  // 500 .. 900: two in the last second
  }
  advance(milliseconds(99));
  EXPECT_FALSE(limits->allow("k"));  // 999
  advance(milliseconds(1));
  // 1000: the attempt at 0 is a whole window old; the refusals left no trace.
  EXPECT_TRUE(limits->allow("k"));
  EXPECT_FALSE(limits->allow("k"));
  advance(milliseconds(400));
  EXPECT_TRUE(limits->allow("k"));  // 1400: the one at 400 went
}

TEST_P(RateLimiterContract, ScopesAreApartAndOneScopeSharesItsCounts) {
  auto login = limiter("login", 1, milliseconds(60'000));
  auto signup = limiter("signup", 1, milliseconds(60'000));
  EXPECT_TRUE(login->allow("127.0.0.11"));
  EXPECT_TRUE(signup->allow("127.0.0.11"));
  EXPECT_FALSE(login->allow("127.0.0.11"));
  // Another limiter of the same scope (another part of the process) counts with the first.
  auto login_again = limiter("login", 1, milliseconds(60'000));
  EXPECT_FALSE(login_again->allow("127.0.0.11"));
  EXPECT_TRUE(login_again->allow("127.0.0.12"));
}

TEST_P(RateLimiterContract, AnyKeyTextIsItsOwnKey) {
  auto limits = limiter("login", 1, milliseconds(60'000));
  const std::vector<std::string> keys{
      "user@example.com\n127.0.0.11", "user@example.com\n127.0.0.12", "a:b:{c}*?[x]",
      std::string("nul\0byte", 8),    "사용자@example.com",           std::string(5000, 'x'),
  };
  for (const std::string& key : keys) {
    EXPECT_TRUE(limits->allow(key)) << key.substr(0, 40);
    EXPECT_FALSE(limits->allow(key)) << key.substr(0, 40);
  }
}

}  // namespace
}  // namespace imagesprint::test
