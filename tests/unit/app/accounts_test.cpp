// The accounts use case against the real SQLite store and libsodium.
#include "app/accounts.hpp"

#include <gtest/gtest.h>

#include "../adapters/sqlite_records/temp_database.hpp"
#include "adapters/sodium/sodium_secrets.hpp"
#include "adapters/sql/sql_account_store.hpp"

namespace imagesprint {
namespace {

class AccountsTest : public testing::Test {
 protected:
  test::TempDatabase temp_;
  SqlAccountStore store_{temp_.db()};
  SodiumSecrets secrets_{PasswordCost{1, 8192}};
  UnixMillis now_ = 1'000'000;
  Accounts accounts_{store_, secrets_, AccountsConfig{std::chrono::seconds(3600), 3},
                     [this] { return now_; }};
};

TEST_F(AccountsTest, SignupLoginLogout) {
  auto signup = accounts_.signup(" Alice@Example.com ", "correct horse");
  ASSERT_TRUE(signup.ok()) << signup.error().message;
  EXPECT_EQ(signup->user.email, "alice@example.com");
  EXPECT_TRUE(signup->user.password_hash.starts_with("$argon2id$"));
  EXPECT_EQ(accounts_.authenticate(signup->token), signup->user.id);

  auto login = accounts_.login("alice@example.com", "correct horse", "127.0.0.1");
  ASSERT_TRUE(login.ok());
  EXPECT_NE(login->token, signup->token);
  EXPECT_EQ(accounts_.authenticate(login->token), signup->user.id);
  accounts_.logout(login->token);
  EXPECT_EQ(accounts_.authenticate(login->token), std::nullopt);
  EXPECT_EQ(accounts_.authenticate(signup->token), signup->user.id);  // other sessions live on
}

TEST_F(AccountsTest, RefusesBadInputAndDuplicates) {
  auto bad_email = accounts_.signup("nope", "correct horse");
  ASSERT_FALSE(bad_email.ok());
  EXPECT_EQ(bad_email.error().field, "email");
  auto short_password = accounts_.signup("b@example.com", "short");
  ASSERT_FALSE(short_password.ok());
  EXPECT_EQ(short_password.error().field, "password");
  ASSERT_TRUE(accounts_.signup("b@example.com", "long enough").ok());
  auto again = accounts_.signup("B@example.com", "long enough");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
}

TEST_F(AccountsTest, WrongPasswordAndUnknownEmailLookAlike) {
  ASSERT_TRUE(accounts_.signup("c@example.com", "right password").ok());
  auto wrong = accounts_.login("c@example.com", "wrong password", "a");
  auto unknown = accounts_.login("nobody@example.com", "wrong password", "b");
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::unauthorized);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_F(AccountsTest, LoginAttemptsAreRateLimitedWithoutLockingTheOwnerOut) {
  ASSERT_TRUE(accounts_.signup("d@example.com", "right password").ok());
  for (int i = 0; i < 3; ++i)
    EXPECT_FALSE(accounts_.login("d@example.com", "guess", "client-attacker").ok());
  // The attacker's address is held back for that email, even with the right password...
  auto limited = accounts_.login("d@example.com", "right password", "client-attacker");
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, ErrorCode::rate_limited);
  EXPECT_GT(limited.error().retry_after, 0);
  // ...while the owner, elsewhere, still gets in.
  EXPECT_TRUE(accounts_.login("d@example.com", "right password", "client-owner").ok());
}

TEST_F(AccountsTest, OneAddressTryingManyEmailsIsLimitedToo) {
  // 5x the per-email limit per address: 15 tries here.
  int refused = 0;
  for (int i = 0; i < 20; ++i) {
    auto r = accounts_.login("user" + std::to_string(i) + "@example.com", "guess", "client-x");
    if (!r.ok() && r.error().code == ErrorCode::rate_limited) ++refused;
  }
  EXPECT_EQ(refused, 5);
}

TEST_F(AccountsTest, SessionsExpire) {
  auto s = accounts_.signup("e@example.com", "right password");
  ASSERT_TRUE(s.ok());
  now_ += 3600 * 1000;
  EXPECT_EQ(accounts_.authenticate(s->token), std::nullopt);
}

TEST_F(AccountsTest, ApiKeysAuthenticateAndRevoke) {
  auto s = accounts_.signup("f@example.com", "right password");
  ASSERT_TRUE(s.ok());
  auto key = accounts_.create_api_key(s->user.id, "ci");
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(key->secret.starts_with("isk_"));
  EXPECT_EQ(accounts_.authenticate(key->secret), s->user.id);
  // A key with the right prefix and a wrong secret is refused.
  std::string forged = key->secret;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(accounts_.authenticate(forged), std::nullopt);
  const auto keys = accounts_.api_keys(s->user.id);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_TRUE(keys[0].last_used_at.has_value());
  EXPECT_FALSE(
      accounts_.delete_api_key(s->user.id + 1, keys[0].id));  // not another user's to revoke
  EXPECT_TRUE(accounts_.delete_api_key(s->user.id, keys[0].id));
  EXPECT_EQ(accounts_.authenticate(key->secret), std::nullopt);
  EXPECT_EQ(accounts_.authenticate("garbage"), std::nullopt);
  EXPECT_EQ(accounts_.authenticate(""), std::nullopt);
}

TEST_F(AccountsTest, AnApiKeyNameIsOneTo100Characters) {
  auto s = accounts_.signup("g@example.com", "right password");
  ASSERT_TRUE(s.ok());
  std::string korean;  // 100 characters, 300 bytes: as long as a name may be
  for (int i = 0; i < 100; ++i) korean += "\xea\xb0\x80";
  EXPECT_TRUE(accounts_.create_api_key(s->user.id, korean).ok());
  EXPECT_TRUE(accounts_.create_api_key(s->user.id, std::string(100, 'k')).ok());
  for (const std::string& name : {korean + "\xea\xb0\x80", std::string(101, 'k'), std::string()}) {
    const auto refused = accounts_.create_api_key(s->user.id, name);
    ASSERT_FALSE(refused.ok()) << name;
    EXPECT_EQ(refused.error().field, "name");
  }
  EXPECT_EQ(accounts_.api_keys(s->user.id).size(), 2u);
}

}  // namespace
}  // namespace imagesprint
