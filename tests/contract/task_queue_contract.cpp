// The TaskQueue contract: at-least-once, leases and their loss, redelivery after the lease, dead
// letters, dedupe keys, fair order across groups and FIFO by availability within one, waiting
// leases and threads that never share a task. See ports/task_queue.hpp.
#include "task_queue_contract.hpp"

#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace imagesprint::test {

Task contract_task(const std::string& job, int index, std::string group, std::string payload) {
  Task t;
  t.kind = TaskKind::convert;
  t.job_id = job;
  t.image_index = index;
  t.payload = std::move(payload);
  t.group = std::move(group);
  return t;
}

namespace {

using Millis = TaskQueue::Millis;

/// "<job><index>" of every task leased by `next` until it returns nothing.
std::vector<std::string> lease_all(const std::function<std::optional<Delivery>()>& next) {
  std::vector<std::string> order;
  while (auto d = next()) order.push_back(d->task.job_id + std::to_string(d->task.image_index));
  return order;
}

TEST_P(TaskQueueContract, DeliversEveryFieldInEnqueueOrder) {
  Task finalize;
  finalize.kind = TaskKind::finalize;
  finalize.job_id = "job-b";
  finalize.payload = R"({"user":7})";
  ASSERT_EQ(queue().enqueue_batch(
                {contract_task("job-a", 0, "", "{}"), contract_task("job-a", 1), finalize}),
            3);

  auto first = lease();
  auto second = lease();
  auto third = lease();
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->task, contract_task("job-a", 0, "", "{}"));
  EXPECT_EQ(second->task, contract_task("job-a", 1));
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

TEST_P(TaskQueueContract, KeepsTheGroupAndTheDedupeKey) {
  Task t = contract_task("j", 3, "user-42", "payload");
  t.dedupe_key = "convert:j:3";
  ASSERT_TRUE(queue().enqueue(t));
  auto d = lease();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->task, t);
}

TEST_P(TaskQueueContract, AckRemovesForGoodAndOnlyOnce) {
  queue().enqueue(contract_task("j", 0));
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

TEST_P(TaskQueueContract, AnExpiredLeaseIsDeliveredAgainWithItsCountAndANote) {
  queue().enqueue(contract_task("j", 4));
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
  EXPECT_EQ(second->last_error, TaskQueue::LEASE_EXPIRED_ERROR);

  // The first worker comes back late: its lease is gone, whatever it tries.
  EXPECT_FALSE(queue().ack(*first));
  EXPECT_FALSE(queue().nack(*first, "late", Millis(0)));
  EXPECT_FALSE(queue().extend_lease(*first, Millis(1000)));
  EXPECT_TRUE(queue().ack(*second));
}

TEST_P(TaskQueueContract, NackKeepsTheErrorAndWaitsTheDelay) {
  queue().enqueue(contract_task("j", 0));
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

TEST_P(TaskQueueContract, WithinAGroupOrderIsByAvailabilityTime) {
  queue().enqueue(contract_task("j", 0));
  auto a = lease(Millis(150));
  ASSERT_TRUE(a);
  advance(100);
  queue().enqueue(contract_task("j", 1));  // available at START + 100
  advance(100);
  queue().enqueue(contract_task("j", 2));  // available at START + 200
  advance(400);
  // Task 0's lease ended at START + 150: it has been available longer than task 2, not task 1.
  std::vector<int> order;
  while (auto d = lease(Millis(10'000))) order.push_back(d->task.image_index);
  EXPECT_EQ(order, (std::vector<int>{1, 0, 2}));
}

TEST_P(TaskQueueContract, GroupsAreServedInTurn) {
  std::vector<Task> a;
  for (int i = 0; i < 5; ++i) a.push_back(contract_task("a", i, "A"));
  ASSERT_EQ(queue().enqueue_batch(a), 5);
  advance(1);
  ASSERT_EQ(queue().enqueue_batch({contract_task("b", 0, "B"), contract_task("b", 1, "B")}), 2);
  advance(1);
  ASSERT_TRUE(queue().enqueue(contract_task("c", 0, "C")));
  // Never-served groups first, oldest work first; then the group served longest ago.
  EXPECT_EQ(lease_all([this] { return lease(Millis(60'000)); }),
            (std::vector<std::string>{"a0", "b0", "c0", "a1", "b1", "a2", "a3", "a4"}));
}

TEST_P(TaskQueueContract, OneUsersBigJobDoesNotHoldUpAnothersSmallOne) {
  std::vector<Task> big;
  for (int i = 0; i < 50; ++i) big.push_back(contract_task("big", i, "1"));
  ASSERT_EQ(queue().enqueue_batch(big), 50);
  auto w1 = lease(Millis(60'000));
  auto w2 = lease(Millis(60'000));
  ASSERT_TRUE(w1 && w2);
  advance(1000);
  ASSERT_TRUE(queue().enqueue(contract_task("small", 0, "2")));
  ASSERT_TRUE(queue().ack(*w1));
  auto next = lease(Millis(60'000));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->task.job_id, "small") << "the next free worker takes the other user's image";
}

TEST_P(TaskQueueContract, AGroupAtItsCapWaitsWhileOthersGoOn) {
  QueueContractSettings settings;
  settings.max_in_flight_per_group = 2;
  open(settings);
  std::vector<Task> a;
  for (int i = 0; i < 4; ++i) a.push_back(contract_task("a", i, "A"));
  ASSERT_EQ(queue().enqueue_batch(a), 4);
  auto a0 = lease();
  auto a1 = lease();
  ASSERT_TRUE(a0 && a1);
  EXPECT_FALSE(lease()) << "A holds its two leases";
  EXPECT_EQ(queue().depth().waiting, 2);

  ASSERT_TRUE(queue().enqueue(contract_task("b", 0, "B")));
  auto b0 = lease();
  ASSERT_TRUE(b0);
  EXPECT_EQ(b0->task.job_id, "b");

  ASSERT_TRUE(queue().ack(*a0));
  auto a2 = lease();
  ASSERT_TRUE(a2);
  EXPECT_EQ(a2->task.image_index, 2);
  EXPECT_FALSE(lease()) << "a1 and a2 are leased, and B has nothing left";
  ASSERT_TRUE(queue().ack(*b0));
  advance(1000);  // a1's and a2's leases run out: they count no more
  std::vector<int> rest;
  while (auto d = lease()) rest.push_back(d->task.image_index);
  // a3 has waited since the start, a1 and a2 since their leases ended; two, then the cap again.
  EXPECT_EQ(rest, (std::vector<int>{3, 1}));
}

TEST_P(TaskQueueContract, ExtendLeaseMovesItsEnd) {
  queue().enqueue(contract_task("j", 0));
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

TEST_P(TaskQueueContract, DeadLettersAfterMaxDeliveriesWithTheLastError) {
  queue().enqueue(contract_task("job-x", 2, "g", "p"));
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
  EXPECT_EQ(dead->task, contract_task("job-x", 2, "g", "p"));
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
  EXPECT_EQ(queue().depth().dead_letters, 1) << "kept for inspection";
}

TEST_P(TaskQueueContract, AbandonedLeasesAlsoDeadLetter) {
  QueueContractSettings settings;
  settings.max_deliveries = 2;
  open(settings);
  queue().enqueue(contract_task("j", 0));
  for (int attempt = 1; attempt <= 2; ++attempt) {
    ASSERT_TRUE(lease(Millis(1000)));  // the worker dies: no ack, no nack
    advance(1000);
  }
  auto dead = lease();
  ASSERT_TRUE(dead);
  EXPECT_TRUE(dead->dead_lettered);
  EXPECT_EQ(dead->last_error, TaskQueue::LEASE_EXPIRED_ERROR);
}

TEST_P(TaskQueueContract, NackOnTheLastDeliveryDeadLettersAtOnce) {
  QueueContractSettings settings;
  settings.max_deliveries = 1;
  open(settings);
  queue().enqueue(contract_task("j", 0));
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

TEST_P(TaskQueueContract, DedupeKeySkipsWhileWaitingOrLeased) {
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
  EXPECT_EQ(queue().enqueue_batch({other, other, contract_task("k", 0), contract_task("k", 0)}), 3);
  EXPECT_EQ(queue().depth().waiting, 4);
}

TEST_P(TaskQueueContract, SurvivesARestartWithLeasesIntact) {
  queue().enqueue_batch({contract_task("j", 0), contract_task("j", 1)});
  auto held = lease(Millis(30'000));
  ASSERT_TRUE(held);
  reopen();  // the process is killed and started again

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
  EXPECT_EQ(recovered->last_error, TaskQueue::LEASE_EXPIRED_ERROR);
}

TEST_P(TaskQueueContract, RefusesBadArguments) {
  EXPECT_THROW(queue().lease(Millis(0), Millis(0)), std::invalid_argument);
  EXPECT_THROW(queue().lease(Millis(100), Millis(-1)), std::invalid_argument);
  Delivery fake;
  fake.id = "not-an-id";
  fake.lease_token = "x";
  EXPECT_FALSE(queue().ack(fake));
  EXPECT_FALSE(queue().nack(fake, "e", Millis(0)));
  EXPECT_THROW(queue().nack(fake, "e", Millis(-1)), std::invalid_argument);
  EXPECT_EQ(queue().enqueue_batch({}), 0);
}

// Real time from here on: waiting and several threads.

TEST_P(TaskQueueContract, AWaitingLeaseReceivesATaskEnqueuedMeanwhile) {
  open_real_time();
  std::thread producer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    queue().enqueue(contract_task("j", 0));
  });
  auto d = queue().lease(Millis(5000), Millis(30'000));
  producer.join();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->task.job_id, "j");
}

TEST_P(TaskQueueContract, AWaitingLeaseGivesUpAfterItsWait) {
  open_real_time();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(queue().lease(Millis(1000), Millis(150)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(150));
}

TEST_P(TaskQueueContract, ThreadsNeverShareATask) {
  open_real_time();
  constexpr int TASKS = 200;
  constexpr int THREADS = 4;
  std::vector<Task> tasks;
  for (int i = 0; i < TASKS; ++i) tasks.push_back(contract_task("j", i, std::to_string(i % 3)));
  ASSERT_EQ(queue().enqueue_batch(tasks), TASKS);

  std::mutex mutex;
  std::vector<int> seen;
  std::vector<std::thread> workers;
  for (int t = 0; t < THREADS; ++t) {
    workers.emplace_back([&] {
      while (auto d = queue().lease(Millis(60'000), Millis(0))) {
        {
          const std::lock_guard lock(mutex);
          seen.push_back(d->task.image_index);
        }
        EXPECT_TRUE(queue().ack(*d));
      }
    });
  }
  for (auto& w : workers) w.join();
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(TASKS));
  EXPECT_EQ(std::set<int>(seen.begin(), seen.end()).size(), static_cast<std::size_t>(TASKS));
  EXPECT_EQ(queue().depth().waiting, 0);
}

}  // namespace
}  // namespace imagesprint::test
