// The RateLimiter contract for RedisRateLimiter on the fixture's redis-server, each test on a key
// prefix of its own (deleted after); and what only Redis gives: counts shared between processes
// (limiters on connection pools of their own) on Redis's clock.
#include "adapters/redis/redis_rate_limiter.hpp"
#include "rate_limiter_contract.hpp"
#include "redis_test_support.hpp"

namespace imagesprint::test {
namespace {

using redis::RedisClient;

class RedisLimiters final : public LimitersUnderTest {
 public:
  explicit RedisLimiters(std::function<std::int64_t()> clock)
      : connection_(redis_connection(fixture_redis())),
        prefix_(fresh_redis_prefix("limits")),
        client_(std::make_shared<RedisClient>(connection_)),
        limiters_(redis::redis_rate_limiters(client_, prefix_, std::move(clock))) {}
  ~RedisLimiters() override {
    RedisClient cleaner(connection_);
    delete_redis_prefix(cleaner, prefix_);
  }
  RateLimiterFactory& limiters() override { return limiters_; }
  const std::string& prefix() const { return prefix_; }
  const redis::RedisConnectionConfig& connection() const { return connection_; }

 private:
  redis::RedisConnectionConfig connection_;
  std::string prefix_;
  std::shared_ptr<RedisClient> client_;
  RateLimiterFactory limiters_;
};

INSTANTIATE_TEST_SUITE_P(Redis, RateLimiterContract,
                         ::testing::Values(RateLimiterImplementation{
                             "RedisRateLimiter",
                             [](std::function<std::int64_t()> clock) {
                               return std::make_unique<RedisLimiters>(std::move(clock));
                             }}),
                         RateLimiterContract::name_of);

TEST(RedisRateLimiter, ProcessesOnTheirOwnConnectionsShareOneCountOnRedisClock) {
  // Two API processes, each with its own connection pool, no clock of their own (Redis's).
  // A client's key (an address, in production); the limiter only ever uses it as text.
  const std::string CLIENT = "client-1";
  RedisLimiters first({});
  auto second_client = std::make_shared<RedisClient>(first.connection());
  auto second = redis::redis_rate_limiters(second_client, first.prefix());
  auto a = first.limiters()("signup", 3, std::chrono::hours(1));
  auto b = second("signup", 3, std::chrono::hours(1));
  EXPECT_TRUE(a->allow(CLIENT));
  EXPECT_TRUE(b->allow(CLIENT));
  EXPECT_TRUE(a->allow(CLIENT));
  EXPECT_FALSE(b->allow(CLIENT));  // three in all, wherever they came
  EXPECT_FALSE(a->allow(CLIENT));
  // The keys live under the deployment's prefix and expire with their window.
  const auto ttl = RedisClient(first.connection())
                       .command({"PTTL", "{" + first.prefix() + "}:rate:signup:" + CLIENT}, "test")
                       .as_integer();
  EXPECT_GT(ttl, 0);
  EXPECT_LE(ttl, 3'600'000);
  // A counter and the times of the last three attempts, however many are made.
  for (int i = 0; i < 20; ++i) EXPECT_FALSE(a->allow(CLIENT));
  EXPECT_EQ(RedisClient(first.connection())
                .command({"HLEN", "{" + first.prefix() + "}:rate:signup:" + CLIENT}, "test")
                .as_integer(),
            4);
}

}  // namespace
}  // namespace imagesprint::test
