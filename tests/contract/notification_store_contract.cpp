// The NotificationStore contract (ports/notification_store.hpp): per user, newest first in
// pages, unread counts and marks that never reach another user's notifications.
#include "record_stores_contract.hpp"

namespace imagesprint::test {
namespace {

TEST_P(NotificationStoreContract, PerUserPagesUnreadAndMarks) {
  NotificationStore& store = notifications();
  for (int i = 0; i < 5; ++i)
    store.add(1, "JOB_DONE", "j" + std::to_string(i), "done " + std::to_string(i), 100 + i, "");
  store.add(2, "JOB_FAILED", "x", "other user", 200, "");
  EXPECT_EQ(store.unread_count(1), 5);
  const auto first = store.list(1, false, "", 2);
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.items[0].job_id, "j4");  // newest first
  ASSERT_FALSE(first.next_cursor.empty());
  const auto second = store.list(1, false, first.next_cursor, 10);
  ASSERT_EQ(second.items.size(), 3u);
  EXPECT_EQ(second.items[2].job_id, "j0");
  EXPECT_TRUE(second.next_cursor.empty());

  EXPECT_TRUE(store.mark_read(1, first.items[0].id));
  EXPECT_FALSE(store.mark_read(2, first.items[1].id));  // not user 2's
  EXPECT_EQ(store.unread_count(1), 4);
  EXPECT_EQ(store.list(1, true, "", 10).items.size(), 4u);
  EXPECT_EQ(store.mark_all_read(1), 4);
  EXPECT_EQ(store.unread_count(1), 0);
  EXPECT_EQ(store.unread_count(2), 1);
}

TEST_P(NotificationStoreContract, ACursorThatNoPageGaveIsRefused) {
  NotificationStore& store = notifications();
  for (int i = 0; i < 3; ++i) store.add(1, "JOB_DONE", "j" + std::to_string(i), "done", 100, "");
  for (const std::string cursor : {"abc", "0", "-1", "+1", " 1", "1x", "99999999999999999999"}) {
    EXPECT_THROW(store.list(1, false, cursor, 2), InvalidCursor) << cursor;
  }
  const auto first = store.list(1, false, "", 2);
  EXPECT_EQ(store.list(1, false, first.next_cursor, 2).items.size(), 1u);
}

TEST_P(NotificationStoreContract, KeepsEveryFieldAndSurvivesARestart) {
  notifications().add(3, "JOB_DONE", "job-6", "an old record", 1000, "");
  const std::string params = R"({"name":"여름 사진","failed":2,"total":5})";
  const Notification added =
      notifications().add(3, "JOB_PARTIAL", "job-7", "사진 2장 실패", 1234, params);
  EXPECT_EQ(added.params, params);
  EXPECT_GT(added.id, 0);
  EXPECT_EQ(added.user_id, 3);
  EXPECT_FALSE(added.read);
  reopen();
  const auto page = notifications().list(3, false, "", 10);
  ASSERT_EQ(page.items.size(), 2u);
  const Notification& n = page.items[0];
  EXPECT_EQ(n.id, added.id);
  EXPECT_EQ(n.type, "JOB_PARTIAL");
  EXPECT_EQ(n.job_id, "job-7");
  EXPECT_EQ(n.message, "사진 2장 실패");
  EXPECT_EQ(n.created_at, 1234);
  EXPECT_FALSE(n.read);
  EXPECT_EQ(n.params, params) << "the message's parameters, as given";
  EXPECT_EQ(page.items[1].params, "") << "a record without parameters reads back without";
  EXPECT_EQ(page.items[1].message, "an old record");
}

}  // namespace
}  // namespace imagesprint::test
