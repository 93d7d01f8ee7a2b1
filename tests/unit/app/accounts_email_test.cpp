#include <gtest/gtest.h>

#include "app/accounts.hpp"

namespace imagesprint {
namespace {

TEST(Accounts, EmailsAreNormalisedAndChecked) {
  EXPECT_EQ(Accounts::normalise_email("  Alice@Example.COM "), "alice@example.com");
  EXPECT_EQ(Accounts::normalise_email("a.b+tag@sub.example.co.kr"), "a.b+tag@sub.example.co.kr");
  EXPECT_EQ(Accounts::normalise_email("no-at-sign"), std::nullopt);
  EXPECT_EQ(Accounts::normalise_email("@example.com"), std::nullopt);
  EXPECT_EQ(Accounts::normalise_email("a@b@example.com"), std::nullopt);
  EXPECT_EQ(Accounts::normalise_email("a@localhost"), std::nullopt);
  EXPECT_EQ(Accounts::normalise_email("a@example."), std::nullopt);
  EXPECT_EQ(Accounts::normalise_email("a b@example.com"), std::nullopt);
  EXPECT_EQ(Accounts::normalise_email(std::string(250, 'a') + "@example.com"), std::nullopt);
}

}  // namespace
}  // namespace imagesprint
