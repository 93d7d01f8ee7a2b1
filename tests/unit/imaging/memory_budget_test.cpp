// Admission by memory (imaging/memory_budget.hpp) and the estimate it admits by
// (imaging/memory_estimate.hpp).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "imaging/memory_budget.hpp"
#include "support/convert.hpp"
#include "support/corpus.hpp"

namespace imagesprint {
namespace {

constexpr std::uint64_t MIB = 1024 * 1024;

/// Waits (bounded) until `budget` has `n` conversions waiting.
bool until_waiting(const MemoryBudget& budget, std::size_t n) {
  for (int i = 0; i < 5000 && budget.waiting() < n; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return budget.waiting() >= n;
}

TEST(MemoryBudget, AConversionWaitsUntilItsShareIsFree) {
  MemoryBudget budget(1000);
  auto first = budget.reserve(600);
  EXPECT_EQ(budget.in_use(), 600u);
  std::atomic<bool> admitted{false};
  bool waited = false;
  std::thread second([&] {
    auto mine = budget.reserve(600, &waited);
    admitted = true;
    EXPECT_EQ(mine.bytes(), 600u);
  });
  ASSERT_TRUE(until_waiting(budget, 1));
  EXPECT_FALSE(admitted);  // 600 + 600 > 1000: it waits while the first holds its share
  first = {};              // the first conversion ends
  second.join();
  EXPECT_TRUE(admitted);
  EXPECT_TRUE(waited);
  EXPECT_EQ(budget.in_use(), 0u);
}

TEST(MemoryBudget, SmallSharesGoTogether) {
  MemoryBudget budget(1000);
  bool waited = true;
  auto a = budget.reserve(300, &waited);
  EXPECT_FALSE(waited);
  auto b = budget.reserve(300, &waited);
  EXPECT_FALSE(waited);
  auto c = budget.reserve(400, &waited);
  EXPECT_FALSE(waited);
  EXPECT_EQ(budget.in_use(), 1000u);
}

TEST(MemoryBudget, MoreThanTheWholeBudgetRunsAlone) {
  MemoryBudget budget(1000);
  auto big = budget.reserve(5000);
  EXPECT_EQ(big.bytes(), 1000u);  // the whole budget: nothing else runs beside it
  std::atomic<bool> admitted{false};
  std::thread small([&] {
    auto mine = budget.reserve(1);
    admitted = true;
  });
  ASSERT_TRUE(until_waiting(budget, 1));
  EXPECT_FALSE(admitted);
  big = {};
  small.join();
  EXPECT_TRUE(admitted);
}

TEST(MemoryBudget, NoBudgetNeverWaits) {
  MemoryBudget budget(0);
  bool waited = true;
  auto a = budget.reserve(1ull << 40, &waited);
  EXPECT_FALSE(waited);
  EXPECT_EQ(budget.in_use(), 0u);
}

TEST(MemoryEstimate, GrowsWithTheOutputAndWithWholeImageEncoders) {
  const auto photo = test::read_bytes(test::corpus("photos/path-2560x1600.jpg"));
  const auto with_alpha = test::read_bytes(test::corpus("edge/with-alpha.png"));
  const auto estimate = [&](const nlohmann::json& options, bool alpha = false) {
    auto result = test::convert_bytes(alpha ? with_alpha : photo, options);
    EXPECT_TRUE(result.ok()) << result.error().message;
    return result.ok() ? result->memory_estimate : 0;
  };
  const auto small_jpeg = estimate({{"width", 320}, {"format", "jpeg"}});
  const auto large_jpeg = estimate({{"width", 4000}, {"enlarge", true}, {"format", "jpeg"}});
  const auto large_webp = estimate({{"width", 4000}, {"enlarge", true}, {"format", "webp"}});
  const auto large_avif =
      estimate({{"width", 4000}, {"enlarge", true}, {"format", "avif"}, {"effort", 0}});
  EXPECT_GT(small_jpeg, 32 * MIB);  // the fixed part: strips, decoder and encoder state
  EXPECT_LT(small_jpeg, 64 * MIB);
  EXPECT_GT(large_jpeg, small_jpeg);
  const auto large_webp_alpha =
      estimate({{"width", 4000}, {"enlarge", true}, {"format", "webp"}}, true);
  EXPECT_GE(large_webp, large_jpeg);        // libwebp holds whole planes
  EXPECT_GT(large_webp_alpha, large_webp);  // and compresses alpha losslessly over every pixel
  EXPECT_GT(large_avif, large_webp);        // libheif and aom hold more
}

}  // namespace
}  // namespace imagesprint
