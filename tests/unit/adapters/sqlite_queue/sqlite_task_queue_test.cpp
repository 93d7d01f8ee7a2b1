#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "queue_fixture.hpp"

namespace imagesprint::test {
namespace {

using Millis = TaskQueue::Millis;

TEST_F(QueueTest, DeliversInEnqueueOrderWithEveryField) {
  Task finalize;
  finalize.kind = TaskKind::finalize;
  finalize.job_id = "job-b";
  finalize.payload = R"({"user":7})";
  ASSERT_EQ(
      queue().enqueue_batch({convert_task("job-a", 0, "{}"), convert_task("job-a", 1), finalize}),
      3);

  auto first = lease();
  auto second = lease();
  auto third = lease();
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->task, convert_task("job-a", 0, "{}"));
  EXPECT_EQ(second->task, convert_task("job-a", 1));
  EXPECT_EQ(third->task, finalize);
  EXPECT_EQ(third->task.image_index, Task::NO_IMAGE);
  for (const auto* d : {&*first, &*second, &*third}) {
    EXPECT_EQ(d->delivery_count, 1);
    EXPECT_EQ(d->lease_expires_at, START + 1000);
    EXPECT_TRUE(d->last_error.empty());
    EXPECT_FALSE(d->dead_lettered);
  }
  EXPECT_NE(first->id, second->id);
  EXPECT_NE(first->lease_token, second->lease_token);
  EXPECT_FALSE(lease()) << "every task is leased";
}

TEST_F(QueueTest, AckRemovesForGoodAndOnlyOnce) {
  queue().enqueue(convert_task("j", 0));
  auto d = lease();
  ASSERT_TRUE(d);
  EXPECT_EQ(queue().depth().in_flight, 1);
  EXPECT_TRUE(queue().ack(*d));
  EXPECT_FALSE(queue().ack(*d));
  advance(10'000);
  EXPECT_FALSE(lease()) << "an acknowledged task never comes back";
  const QueueDepth depth = queue().depth();
  EXPECT_EQ(depth.waiting, 0);
  EXPECT_EQ(depth.in_flight, 0);
  EXPECT_EQ(depth.dead_letters, 0);
}

TEST_F(QueueTest, ExpiredLeaseIsDeliveredAgainWithItsCountAndANote) {
  queue().enqueue(convert_task("j", 4));
  auto first = lease(Millis(1000));
  ASSERT_TRUE(first);

  advance(999);
  EXPECT_FALSE(lease()) << "the lease still runs";
  EXPECT_EQ(queue().depth().in_flight, 1);
  advance(1);
  const QueueDepth depth = queue().depth();
  EXPECT_EQ(depth.in_flight, 0);
  EXPECT_EQ(depth.waiting, 1) << "an abandoned task counts as waiting";

  auto second = lease(Millis(1000));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(second->task, first->task);
  EXPECT_EQ(second->delivery_count, 2);
  EXPECT_NE(second->lease_token, first->lease_token);
  EXPECT_EQ(second->last_error, SqliteTaskQueue::LEASE_EXPIRED_ERROR);

  // The first worker comes back late: its lease is gone, whatever it tries.
  EXPECT_FALSE(queue().ack(*first));
  EXPECT_FALSE(queue().nack(*first, "late", Millis(0)));
  EXPECT_FALSE(queue().extend_lease(*first, Millis(1000)));
  EXPECT_TRUE(queue().ack(*second));
}

TEST_F(QueueTest, NackKeepsTheErrorAndWaitsTheDelay) {
  queue().enqueue(convert_task("j", 0));
  auto d = lease();
  ASSERT_TRUE(d);
  ASSERT_TRUE(queue().nack(*d, "decoder ran out of memory", Millis(5000)));
  EXPECT_FALSE(queue().nack(*d, "twice", Millis(0))) << "the lease ended with the first nack";
  EXPECT_EQ(queue().depth().waiting, 1);

  advance(4999);
  EXPECT_FALSE(lease());
  advance(1);
  auto again = lease();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->delivery_count, 2);
  EXPECT_EQ(again->last_error, "decoder ran out of memory");
}

TEST_F(QueueTest, OrderIsByAvailabilityTime) {
  queue().enqueue(convert_task("j", 0));
  auto a = lease(Millis(150));
  ASSERT_TRUE(a);
  advance(100);
  queue().enqueue(convert_task("j", 1));  // available at START + 100
  advance(100);
  queue().enqueue(convert_task("j", 2));  // available at START + 200
  advance(400);
  // Task 0's lease ended at START + 150: it has been available longer than task 2, not task 1.
  std::vector<int> order;
  while (auto d = lease(Millis(10'000))) order.push_back(d->task.image_index);
  EXPECT_EQ(order, (std::vector<int>{1, 0, 2}));
}

TEST_F(QueueTest, ExtendLeaseMovesItsEnd) {
  queue().enqueue(convert_task("j", 0));
  auto d = lease(Millis(1000));
  ASSERT_TRUE(d);
  advance(900);
  ASSERT_TRUE(queue().extend_lease(*d, Millis(1000)));
  EXPECT_EQ(d->lease_expires_at, START + 1900);
  advance(600);  // START + 1500: past the first end, before the new one
  EXPECT_FALSE(lease());
  advance(401);
  auto again = lease();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->delivery_count, 2);
  Delivery stale = *d;
  EXPECT_FALSE(queue().extend_lease(stale, Millis(1000)));
  EXPECT_EQ(stale.lease_expires_at, d->lease_expires_at) << "unchanged when the lease is lost";
}

TEST_F(QueueTest, DeadLettersAfterMaxDeliveriesWithTheLastError) {
  open(/*max_deliveries=*/3);
  queue().enqueue(convert_task("job-x", 2, "p"));
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto d = lease();
    ASSERT_TRUE(d);
    EXPECT_FALSE(d->dead_lettered);
    EXPECT_EQ(d->delivery_count, attempt);
    ASSERT_TRUE(queue().nack(*d, "failure " + std::to_string(attempt), Millis(60'000)));
    advance(60'000);
  }
  EXPECT_EQ(queue().depth().waiting, 1);

  auto dead = lease(Millis(1000));
  ASSERT_TRUE(dead);
  EXPECT_TRUE(dead->dead_lettered);
  EXPECT_EQ(dead->task, convert_task("job-x", 2, "p"));
  EXPECT_EQ(dead->delivery_count, 3) << "deliveries for work, not the hand-over";
  EXPECT_EQ(dead->last_error, "failure 3");
  QueueDepth depth = queue().depth();
  EXPECT_EQ(depth.waiting, 0);
  EXPECT_EQ(depth.dead_letters, 1);

  // The caller crashed before recording the failure: the hand-over comes back after its lease.
  advance(999);
  EXPECT_FALSE(lease());
  advance(1);
  auto again = lease();
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->dead_lettered);
  EXPECT_EQ(again->id, dead->id);
  EXPECT_EQ(again->last_error, "failure 3");
  EXPECT_FALSE(queue().ack(*dead)) << "the first hand-over's lease is gone";
  EXPECT_TRUE(queue().ack(*again));
  advance(100'000);
  EXPECT_FALSE(lease()) << "a recorded dead letter is never handed out again";

  // Kept for inspection, with its last error.
  soci::session sql(db().pool());
  std::string error;
  int handled = 0;
  int deliveries = 0;
  sql << "SELECT last_error, handled, delivery_count FROM dead_letters WHERE job_id = 'job-x'",
      soci::into(error), soci::into(handled), soci::into(deliveries);
  EXPECT_EQ(error, "failure 3");
  EXPECT_EQ(handled, 1);
  EXPECT_EQ(deliveries, 3);
  EXPECT_EQ(queue().depth().dead_letters, 1);
}

TEST_F(QueueTest, AbandonedLeasesAlsoDeadLetter) {
  open(/*max_deliveries=*/2);
  queue().enqueue(convert_task("j", 0));
  for (int attempt = 1; attempt <= 2; ++attempt) {
    ASSERT_TRUE(lease(Millis(1000)));  // the worker dies: no ack, no nack
    advance(1000);
  }
  auto dead = lease();
  ASSERT_TRUE(dead);
  EXPECT_TRUE(dead->dead_lettered);
  EXPECT_EQ(dead->last_error, SqliteTaskQueue::LEASE_EXPIRED_ERROR);
}

TEST_F(QueueTest, NackOnTheLastDeliveryDeadLettersAtOnce) {
  open(/*max_deliveries=*/1);
  queue().enqueue(convert_task("j", 0));
  auto d = lease();
  ASSERT_TRUE(d);
  ASSERT_TRUE(queue().nack(*d, "corrupt", Millis(3'600'000)));
  auto dead = lease();
  ASSERT_TRUE(dead) << "no waiting an hour to report a failure";
  EXPECT_TRUE(dead->dead_lettered);
  EXPECT_EQ(dead->last_error, "corrupt");

  // Recording the failure failed too: the hand-over can be nacked and comes back.
  ASSERT_TRUE(queue().nack(*dead, "database busy", Millis(500)));
  EXPECT_FALSE(lease());
  advance(500);
  auto again = lease();
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->dead_lettered);
  EXPECT_EQ(again->last_error, "corrupt") << "the task's error, not the hand-over's";
  EXPECT_TRUE(queue().extend_lease(*again, Millis(5000)));
  EXPECT_TRUE(queue().ack(*again));
}

TEST_F(QueueTest, DedupeKeySkipsWhileWaitingOrLeased) {
  Task finalize;
  finalize.kind = TaskKind::finalize;
  finalize.job_id = "j";
  finalize.dedupe_key = "finalize:j";
  EXPECT_TRUE(queue().enqueue(finalize));
  EXPECT_FALSE(queue().enqueue(finalize)) << "waiting";
  auto d = lease();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->task.dedupe_key, "finalize:j");
  EXPECT_FALSE(queue().enqueue(finalize)) << "leased";
  ASSERT_TRUE(queue().ack(*d));
  EXPECT_TRUE(queue().enqueue(finalize)) << "done: the key is free again";

  // Inside one batch, and tasks without a key are never skipped.
  Task other = finalize;
  other.dedupe_key = "finalize:k";
  EXPECT_EQ(queue().enqueue_batch({other, other, convert_task("k", 0), convert_task("k", 0)}), 3);
  EXPECT_EQ(queue().depth().waiting, 4);
}

TEST_F(QueueTest, SurvivesARestartWithLeasesIntact) {
  queue().enqueue_batch({convert_task("j", 0), convert_task("j", 1)});
  auto held = lease(Millis(30'000));
  ASSERT_TRUE(held);
  open();  // the process is killed and started again; migrations are not applied twice

  auto next = lease();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->task.image_index, 1) << "task 0 is still leased by the dead process";
  EXPECT_TRUE(queue().ack(*next));
  EXPECT_FALSE(lease());
  advance(30'000);
  auto recovered = lease();
  ASSERT_TRUE(recovered);
  EXPECT_EQ(recovered->task.image_index, 0);
  EXPECT_EQ(recovered->delivery_count, 2);
  EXPECT_EQ(recovered->last_error, SqliteTaskQueue::LEASE_EXPIRED_ERROR);
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

TEST_F(QueueTest, RefusesBadArgumentsAndConfigs) {
  EXPECT_THROW(queue().lease(Millis(0), Millis(0)), std::invalid_argument);
  EXPECT_THROW(queue().lease(Millis(100), Millis(-1)), std::invalid_argument);
  Delivery fake;
  fake.id = "not-a-number";
  fake.lease_token = "x";
  EXPECT_FALSE(queue().ack(fake));
  EXPECT_FALSE(queue().nack(fake, "e", Millis(0)));
  EXPECT_THROW(queue().nack(fake, "e", Millis(-1)), std::invalid_argument);
  EXPECT_EQ(queue().enqueue_batch({}), 0);

  SqliteTaskQueueConfig config;
  config.max_deliveries = 0;
  EXPECT_THROW(config.validate(), std::invalid_argument);
  config = {};
  config.poll_interval = std::chrono::milliseconds(0);
  EXPECT_THROW(config.validate(), std::invalid_argument);
  EXPECT_THROW(SqliteTaskQueue(db(), config), std::invalid_argument);
}

// Real time from here on: waiting and several threads.
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

TEST_F(RealTimeQueueTest, WaitingLeaseGivesUpAfterItsWait) {
  SqliteTaskQueueConfig config;
  config.poll_interval = std::chrono::milliseconds(20);
  SqliteTaskQueue queue(db_, config);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(queue.lease(Millis(1000), Millis(150)));
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, std::chrono::milliseconds(150));
  EXPECT_LT(waited, std::chrono::seconds(3));
}

TEST_F(RealTimeQueueTest, ThreadsNeverShareATask) {
  SqliteTaskQueue queue(db_);
  constexpr int TASKS = 200;
  constexpr int THREADS = 4;
  std::vector<Task> tasks;
  for (int i = 0; i < TASKS; ++i) tasks.push_back(convert_task("j", i));
  ASSERT_EQ(queue.enqueue_batch(tasks), TASKS);

  std::mutex mutex;
  std::vector<int> seen;
  std::vector<std::thread> workers;
  for (int t = 0; t < THREADS; ++t) {
    workers.emplace_back([&] {
      while (auto d = queue.lease(Millis(60'000), Millis(0))) {
        {
          const std::lock_guard lock(mutex);
          seen.push_back(d->task.image_index);
        }
        EXPECT_TRUE(queue.ack(*d));
      }
    });
  }
  for (auto& w : workers) w.join();
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(TASKS));
  EXPECT_EQ(std::set<int>(seen.begin(), seen.end()).size(), static_cast<std::size_t>(TASKS));
  EXPECT_EQ(queue.depth().waiting, 0);
}

}  // namespace
}  // namespace imagesprint::test
