#include "adapters/sqlite/sqlite_notification_store.hpp"

#include <gtest/gtest.h>

#include "temp_database.hpp"

namespace imagesprint {
namespace {

TEST(SqliteNotificationStore, PerUserPagesUnreadAndMarks) {
  test::TempDatabase temp;
  SqliteNotificationStore store(temp.db());
  for (int i = 0; i < 5; ++i)
    store.add(1, "JOB_DONE", "j" + std::to_string(i), "done " + std::to_string(i), 100 + i);
  store.add(2, "JOB_FAILED", "x", "other user", 200);
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

}  // namespace
}  // namespace imagesprint
