#include "domain/whole_number.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace imagesprint {
namespace {

TEST(WholeNumber, IsTheDigitsAndNothingElse) {
  EXPECT_EQ(whole_number<int>("0"), 0);
  EXPECT_EQ(whole_number<int>("1600"), 1600);
  EXPECT_EQ(whole_number<std::int64_t>("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(whole_number<int>("-5"), -5);
  for (const char* text : {"", "+7", " 7", "7 ", "7x", "0x10", "7.0", "1e3", "-", "٣"}) {
    EXPECT_FALSE(whole_number<int>(text)) << '"' << text << '"';
  }
}

TEST(WholeNumber, RefusesWhatItsTypeCannotHold) {
  EXPECT_FALSE(whole_number<int>("2147483648"));
  EXPECT_FALSE(whole_number<std::uint64_t>("-1"));
  EXPECT_FALSE(whole_number<std::uint64_t>("18446744073709551616"));
  EXPECT_EQ(whole_number<std::uint64_t>("18446744073709551615"), UINT64_MAX);
}

TEST(WholeNumber, WithinARange) {
  EXPECT_EQ(whole_number("16", 16, 1600), 16);
  EXPECT_EQ(whole_number("1600", 16, 1600), 1600);
  EXPECT_FALSE(whole_number("15", 16, 1600));
  EXPECT_FALSE(whole_number("1601", 16, 1600));
  EXPECT_FALSE(whole_number("99999999999", 16, 1600));
}

}  // namespace
}  // namespace imagesprint
