// DatabasePool::migrate, the versioned migrations the queue shares with the records' stores:
// each migration once, in order, in its own transaction, recorded per component.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../temp_folder.hpp"
#include "adapters/sqlite/database_pool.hpp"
#include "adapters/sqlite/sqlite_task_queue.hpp"

namespace imagesprint::test {
namespace {

class MigrationsTest : public ::testing::Test {
 protected:
  MigrationsTest() : folder_("migrations"), db_((folder_ / "m.db").string(), 2) {}

  std::vector<int> versions(const std::string& component) {
    soci::session sql(db_.pool());
    soci::rowset<int> rows = (sql.prepare << "SELECT version FROM schema_migrations WHERE "
                                             "component = :c ORDER BY version",
                              soci::use(component));
    return {rows.begin(), rows.end()};
  }

  bool table_exists(const std::string& name) {
    soci::session sql(db_.pool());
    int count = 0;
    sql << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :n",
        soci::into(count), soci::use(name);
    return count == 1;
  }

  TempFolder folder_;
  DatabasePool db_;
};

TEST_F(MigrationsTest, AppliesEachOnceInOrderAndOnlyTheNewOnes) {
  // Plain CREATE TABLE fails if run twice: applying a migration again would throw.
  std::vector<std::string> migrations{
      "CREATE TABLE a (id INTEGER PRIMARY KEY); INSERT INTO a (id) VALUES (1)",
      "CREATE TABLE b (id INTEGER PRIMARY KEY);\n CREATE INDEX b_id ON b(id);"};
  db_.migrate("widgets", migrations);
  EXPECT_EQ(versions("widgets"), (std::vector<int>{1, 2}));
  EXPECT_TRUE(table_exists("a"));
  EXPECT_TRUE(table_exists("b"));
  EXPECT_NO_THROW(db_.migrate("widgets", migrations));

  migrations.push_back("ALTER TABLE a ADD COLUMN label VARCHAR(10) NOT NULL DEFAULT 'x'");
  db_.migrate("widgets", migrations);
  EXPECT_EQ(versions("widgets"), (std::vector<int>{1, 2, 3}));
  soci::session sql(db_.pool());
  std::string label;
  sql << "SELECT label FROM a WHERE id = 1", soci::into(label);
  EXPECT_EQ(label, "x") << "migration 1's row kept, migration 3 applied on top";
}

TEST_F(MigrationsTest, AFailingMigrationLeavesNothingBehind) {
  const std::vector<std::string> migrations{
      "CREATE TABLE ok (id INTEGER)",
      // The table is created, then the second statement fails: the whole migration rolls back.
      "CREATE TABLE half (id INTEGER); INSERT INTO missing_table VALUES (1)"};
  EXPECT_ANY_THROW(db_.migrate("broken", migrations));
  EXPECT_EQ(versions("broken"), (std::vector<int>{1}));
  EXPECT_TRUE(table_exists("ok"));
  EXPECT_FALSE(table_exists("half"));

  // Fixed in a later release (same version number, never shipped): it applies cleanly.
  db_.migrate("broken", {migrations[0], "CREATE TABLE half (id INTEGER)"});
  EXPECT_EQ(versions("broken"), (std::vector<int>{1, 2}));
  EXPECT_TRUE(table_exists("half"));
}

TEST_F(MigrationsTest, ComponentsCountTheirVersionsApart) {
  db_.migrate("one", {"CREATE TABLE t1 (id INTEGER)"});
  db_.migrate("two", {"CREATE TABLE t2 (id INTEGER)", "CREATE TABLE t3 (id INTEGER)"});
  EXPECT_EQ(versions("one"), (std::vector<int>{1}));
  EXPECT_EQ(versions("two"), (std::vector<int>{1, 2}));
}

TEST_F(MigrationsTest, TheQueueRecordsItsOwnComponent) {
  SqliteTaskQueue first(db_);
  SqliteTaskQueue second(db_);  // a second start-up applies nothing
  EXPECT_EQ(versions("task_queue").size(), SqliteTaskQueue::migrations().size());
  EXPECT_TRUE(table_exists("tasks"));
  EXPECT_TRUE(table_exists("dead_letters"));
}

}  // namespace
}  // namespace imagesprint::test
