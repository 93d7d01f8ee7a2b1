// What is particular to SqliteTaskQueue: its dead-letter table, SQLite errors, its settings and
// the wake-up of a waiting lease. The port's contract is tested for every implementation in
// tests/contract/task_queue_contract.cpp.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "queue_fixture.hpp"

namespace imagesprint::test {
namespace {

using Millis = TaskQueue::Millis;

TEST_F(QueueTest, DeadLettersAreKeptInTheirTableWithTheLastError) {
  open(/*max_deliveries=*/2);
  queue().enqueue(convert_task("job-x", 2, "p"));
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto d = lease();
    ASSERT_TRUE(d);
    ASSERT_TRUE(queue().nack(*d, "failure " + std::to_string(attempt), Millis(0)));
  }
  auto dead = lease();
  ASSERT_TRUE(dead && dead->dead_lettered);
  ASSERT_TRUE(queue().ack(*dead));

  soci::session sql(db().pool());
  std::string error;
  int handled = 0;
  int deliveries = 0;
  sql << "SELECT last_error, handled, delivery_count FROM dead_letters WHERE job_id = 'job-x'",
      soci::into(error), soci::into(handled), soci::into(deliveries);
  EXPECT_EQ(error, "failure 2");
  EXPECT_EQ(handled, 1);
  EXPECT_EQ(deliveries, 2);
}

TEST_F(QueueTest, DatabaseFailuresSurfaceAsStorageError) {
  {
    soci::session sql(db().pool());
    sql << "DROP TABLE tasks";
  }
  EXPECT_THROW(queue().enqueue(convert_task("j", 0)), StorageError);
  EXPECT_THROW(lease(), StorageError);
  EXPECT_THROW(queue().depth(), StorageError);
}

TEST_F(QueueTest, RefusesBadConfigs) {
  SqliteTaskQueueConfig config;
  EXPECT_TRUE(config.validate().empty());
  config.max_deliveries = 0;
  config.poll_interval = std::chrono::milliseconds(0);
  config.max_in_flight_per_group = -1;
  const FieldErrors errors = config.validate();  // every one, not only the first
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].field, "max_deliveries");
  EXPECT_EQ(errors[1].field, "poll_interval");
  EXPECT_EQ(errors[2].field, "max_in_flight_per_group");
  EXPECT_THROW(SqliteTaskQueue(db(), config), std::invalid_argument);
}

// Real time: how a waiting lease learns of new tasks.
class RealTimeQueueTest : public ::testing::Test {
 protected:
  RealTimeQueueTest() : folder_("queue-rt"), db_((folder_ / "queue.db").string(), 6) {}
  TempFolder folder_;
  DatabasePool db_;
};

TEST_F(RealTimeQueueTest, WaitingLeaseWakesWhenATaskArrives) {
  SqliteTaskQueueConfig config;
  config.poll_interval = std::chrono::milliseconds(10'000);  // so only the wake-up can be quick
  SqliteTaskQueue queue(db_, config);
  const auto start = std::chrono::steady_clock::now();
  std::thread producer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    queue.enqueue(convert_task("j", 0));
  });
  auto d = queue.lease(Millis(5000), Millis(8000));
  producer.join();
  ASSERT_TRUE(d);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

}  // namespace
}  // namespace imagesprint::test
