// The RateLimiter contract for the in-process limiters (app/rate_limiter).
#include "app/rate_limiter.hpp"
#include "rate_limiter_contract.hpp"

namespace imagesprint::test {
namespace {

class InProcessLimiters final : public LimitersUnderTest {
 public:
  explicit InProcessLimiters(std::function<std::int64_t()> clock)
      : limiters_(in_process_rate_limiters(std::move(clock))) {}
  RateLimiterFactory& limiters() override { return limiters_; }

 private:
  RateLimiterFactory limiters_;
};

INSTANTIATE_TEST_SUITE_P(Embedded, RateLimiterContract,
                         ::testing::Values(RateLimiterImplementation{
                             "InProcess",
                             [](std::function<std::int64_t()> clock) {
                               return std::make_unique<InProcessLimiters>(std::move(clock));
                             }}),
                         RateLimiterContract::name_of);

}  // namespace
}  // namespace imagesprint::test
