// The AccountStore contract (ports/account_store.hpp): unique emails, sessions and API keys
// found by their public ids, each user's keys apart, expiry sweeps.
#include <latch>
#include <thread>

#include "record_stores_contract.hpp"

namespace imagesprint::test {
namespace {

TEST_P(AccountStoreContract, EmailsAreUniqueAndUsersFoundByEmailOrId) {
  const auto alice = accounts().create_user("alice@example.com", "$argon2id$hash-a", 100);
  ASSERT_TRUE(alice);
  EXPECT_GT(alice->id, 0);
  EXPECT_EQ(alice->email, "alice@example.com");
  EXPECT_EQ(alice->created_at, 100);
  EXPECT_FALSE(accounts().create_user("alice@example.com", "$argon2id$other", 200)) << "taken";
  const auto bob = accounts().create_user("bob@example.com", "$argon2id$hash-b", 300);
  ASSERT_TRUE(bob);
  EXPECT_NE(bob->id, alice->id);

  EXPECT_EQ(accounts().find_user_by_email("alice@example.com")->password_hash, "$argon2id$hash-a");
  EXPECT_EQ(accounts().find_user(bob->id)->email, "bob@example.com");
  EXPECT_FALSE(accounts().find_user_by_email("carol@example.com"));
  EXPECT_FALSE(accounts().find_user(bob->id + alice->id + 1000));
}

TEST_P(AccountStoreContract, SessionsAreFoundByIdAndSweptWhenExpired) {
  const auto user = accounts().create_user("s@example.com", "$argon2id$h", 1);
  ASSERT_TRUE(user);
  accounts().create_session("sess-old", user->id, "hash-old", 1000);
  accounts().create_session("sess-new", user->id, "hash-new", 5000);
  const auto found = accounts().session("sess-new");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user_id, user->id);
  EXPECT_EQ(found->hash, "hash-new");
  EXPECT_EQ(found->expires_at, 5000);
  EXPECT_FALSE(accounts().session("sess-none"));

  EXPECT_EQ(accounts().delete_expired_sessions(2000), 1);
  EXPECT_FALSE(accounts().session("sess-old"));
  EXPECT_TRUE(accounts().session("sess-new"));
  accounts().delete_session("sess-new");
  EXPECT_FALSE(accounts().session("sess-new"));
}

TEST_P(AccountStoreContract, ApiKeysBelongToTheirUserOnly) {
  const auto a = accounts().create_user("a@example.com", "$argon2id$a", 1);
  const auto b = accounts().create_user("b@example.com", "$argon2id$b", 1);
  ASSERT_TRUE(a && b);
  const ApiKey key = accounts().create_api_key(a->id, "ci", "isk_abc", "hash-abc", 50);
  EXPECT_GT(key.id, 0);
  EXPECT_EQ(key.user_id, a->id);
  EXPECT_EQ(key.name, "ci");
  EXPECT_EQ(key.prefix, "isk_abc");
  EXPECT_FALSE(key.last_used_at);

  const auto stored = accounts().api_key("isk_abc");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->user_id, a->id);
  EXPECT_EQ(stored->hash, "hash-abc");
  EXPECT_EQ(stored->key_id, key.id);

  accounts().touch_api_key(key.id, 777);
  const auto listed = accounts().api_keys(a->id);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].last_used_at, 777);
  EXPECT_TRUE(accounts().api_keys(b->id).empty());

  EXPECT_FALSE(accounts().delete_api_key(b->id, key.id)) << "not b's key";
  EXPECT_TRUE(accounts().api_key("isk_abc"));
  EXPECT_TRUE(accounts().delete_api_key(a->id, key.id));
  EXPECT_FALSE(accounts().api_key("isk_abc"));
  EXPECT_FALSE(accounts().delete_api_key(a->id, key.id));
}

TEST_P(AccountStoreContract, OneEmailSignedUpTwiceAtOnceMakesOneUser) {
  // Two processes (stores on connections of their own) sign the same email up at the same time,
  // round after round: each time exactly one gets the user, the other is told it is taken.
  auto first = open_another();
  auto second = open_another();
  for (int round = 0; round < 10; ++round) {
    const std::string email = "race" + std::to_string(round) + "@example.com";
    std::optional<User> a, b;
    std::string error;
    std::latch start(2);
    std::thread other([&] {
      start.arrive_and_wait();
      try {
        b = second->accounts().create_user(email, "$argon2id$b", 2);
      } catch (const std::exception& e) {
        error = e.what();
      }
    });
    start.arrive_and_wait();
    ASSERT_NO_THROW(a = first->accounts().create_user(email, "$argon2id$a", 1));
    other.join();
    ASSERT_EQ(error, "");
    EXPECT_NE(a.has_value(), b.has_value()) << email;
    const auto stored = accounts().find_user_by_email(email);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->id, a ? a->id : b->id);
  }
}

TEST_P(AccountStoreContract, SurvivesARestart) {
  const auto user = accounts().create_user("r@example.com", "$argon2id$r", 1);
  ASSERT_TRUE(user);
  accounts().create_session("sess", user->id, "h", 9000);
  reopen();
  EXPECT_EQ(accounts().find_user_by_email("r@example.com")->id, user->id);
  EXPECT_TRUE(accounts().session("sess"));
}

}  // namespace
}  // namespace imagesprint::test
