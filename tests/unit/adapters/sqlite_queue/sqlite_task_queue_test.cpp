// What is particular to SqliteTaskQueue: its dead-letter table, SQLite errors, its settings and
// the wake-up of a waiting lease. The port's contract is tested for every implementation in
// tests/contract/task_queue_contract.cpp.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
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
  // Without the wake-up the lease would look again only after a minute, long after the bounded
  // wait below gives up.
  config.poll_interval = std::chrono::milliseconds(60'000);
  SqliteTaskQueue queue(db_, config);
  auto leased =
      std::async(std::launch::async, [&] { return queue.lease(Millis(5000), Millis(60'000)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let the lease start waiting
  queue.enqueue(convert_task("j", 0));
  ASSERT_EQ(leased.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  const auto d = leased.get();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->task.job_id, "j");
}

}  // namespace
}  // namespace imagesprint::test
