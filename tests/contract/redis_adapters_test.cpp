// What the Redis adapters do beyond the shared contracts, on the fixture's redis-server: the
// settings they accept, the keys a queue writes (the tasks really go through a stream and its
// consumer group, whose pending-entries list counts deliveries), two processes sharing one queue
// and one bus, and, on a redis-server of their own, a restart (AOF on) in the middle of the work:
// no enqueued or leased task is lost, and the adapters reconnect by themselves.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "adapters/redis/redis_event_bus.hpp"
#include "adapters/redis/redis_task_queue.hpp"
#include "redis_test_support.hpp"
#include "task_queue_contract.hpp"

namespace imagesprint::test {
namespace {

using Millis = std::chrono::milliseconds;
using redis::parse_redis_url;
using redis::RedisClient;
using redis::RedisConnectionConfig;
using redis::RedisEventBus;
using redis::RedisEventBusConfig;
using redis::RedisTaskQueue;
using redis::RedisTaskQueueConfig;
using redis::RedisValue;

/// What a subscriber received, readable while the bus delivers from its thread.
class Inbox {
 public:
  EventBus::Handler handler() {
    return [this](const Event& e) {
      const std::lock_guard lock(mutex_);
      events_.push_back(e);
      changed_.notify_all();
    };
  }
  std::vector<Event> wait_for(std::size_t count, Millis limit = Millis(20'000)) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, limit, [&] { return events_.size() >= count; });
    return events_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Event> events_;
};

/// A queue on the fixture's server with a prefix of its own, deleted afterwards.
class RedisQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.connection = redis_connection(fixture_redis());
    config_.prefix = fresh_redis_prefix("queue-extra");
    config_.max_deliveries = 2;
    config_.clock = [this] { return now_.load(); };
    client_ = std::make_shared<RedisClient>(config_.connection);
  }
  void TearDown() override { delete_redis_prefix(*client_, config_.prefix); }

  RedisValue redis(const std::vector<std::string>& argv) { return client_->command(argv, "test"); }
  std::string key(const std::string& name) const { return "{" + config_.prefix + "}:" + name; }

  std::atomic<UnixMillis> now_{1'700'000'000'000};
  RedisTaskQueueConfig config_;
  std::shared_ptr<RedisClient> client_;
};

TEST(RedisSettings, ParsesHostPortAndDatabase) {
  RedisConnectionConfig config = parse_redis_url("redis://127.0.0.1:6380/2");
  EXPECT_EQ(config.host, "127.0.0.1");
  EXPECT_EQ(config.port, 6380);
  EXPECT_EQ(config.db, 2);
  EXPECT_EQ(config.describe(), "redis://127.0.0.1:6380/2");

  config = parse_redis_url("redis://cache.internal");
  EXPECT_EQ(config.host, "cache.internal");
  EXPECT_EQ(config.port, RedisConnectionConfig::DEFAULT_PORT);
  EXPECT_EQ(config.db, 0);

  config = parse_redis_url("redis://[::1]:7000/");
  EXPECT_EQ(config.host, "::1");
  EXPECT_EQ(config.port, 7000);
  EXPECT_EQ(config.describe(), "redis://[::1]:7000/0");
  EXPECT_TRUE(redis::is_redis_url("redis://x"));
  EXPECT_FALSE(redis::is_redis_url("sqlite"));
}

TEST(RedisSettings, RefusesBadUrlsNamingTheSetting) {
  for (const char* bad : {"sqlite", "redis://", "redis://:6379", "redis://h:0", "redis://h:65536",
                          "redis://h:x", "redis://h:1/x", "redis://h:1/-1", "redis://u:p@h:1",
                          "redis://h:1?db=2", "redis://::1:7000", "redis://[::1", "redis://h:"}) {
    try {
      parse_redis_url(bad, "events");
      ADD_FAILURE() << "accepted " << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("setting events"), std::string::npos) << e.what();
    }
  }
}

TEST(RedisSettings, ValidateNamesTheField) {
  const auto message = [](const auto& config) { return describe(config.validate()); };
  RedisConnectionConfig connection;
  connection.max_connections = 0;
  EXPECT_NE(message(connection).find("RedisConnectionConfig.max_connections"), std::string::npos);
  connection = RedisConnectionConfig();
  connection.retry_max_delay = Millis(1);
  EXPECT_NE(message(connection).find("retry_max_delay"), std::string::npos);

  RedisTaskQueueConfig queue;
  EXPECT_EQ(message(queue), "");
  queue.prefix = "a{b}";
  EXPECT_NE(message(queue).find("RedisTaskQueueConfig.prefix"), std::string::npos);
  queue = RedisTaskQueueConfig();
  queue.max_deliveries = 0;
  EXPECT_NE(message(queue).find("RedisTaskQueueConfig.max_deliveries"), std::string::npos);
  EXPECT_THROW(RedisTaskQueue{queue}, std::invalid_argument);

  RedisEventBusConfig events;
  EXPECT_EQ(message(events), "");
  events.history = 0;
  EXPECT_NE(message(events).find("RedisEventBusConfig.history"), std::string::npos);
}

TEST_F(RedisQueueTest, TasksGoThroughTheirKindsStreamAndItsPendingEntries) {
  RedisTaskQueue queue(client_, config_);
  ASSERT_EQ(queue.enqueue_batch({contract_task("j", 0, "user-7"), contract_task("j", 1, "user-7")}),
            2);
  // One entry at a time is fed to the stream: the next in the fair order; the other waits.
  EXPECT_EQ(redis({"XLEN", key("stream:convert")}).as_integer(), 1);
  EXPECT_EQ(redis({"ZCARD", key("waiting:user-7")}).as_integer(), 2);
  EXPECT_EQ(redis({"ZSCORE", key("groups"), "user-7"}).is_nil(), false);

  auto first = queue.lease(Millis(1000), Millis(0));
  ASSERT_TRUE(first);
  // XREADGROUP handed it out: the consumer group's pending-entries list holds the lease,
  // counted once, and the next task was fed.
  RedisValue pending = redis({"XPENDING", key("stream:convert"), "workers", "-", "+", "10"});
  ASSERT_EQ(pending.elements.size(), 1u);
  EXPECT_EQ(pending.elements[0].elements[0].as_string(), first->id);
  EXPECT_EQ(pending.elements[0].elements[3].as_integer(), 1);
  EXPECT_EQ(redis({"XLEN", key("stream:convert")}).as_integer(), 2);
  EXPECT_EQ(redis({"ZCARD", key("waiting:user-7")}).as_integer(), 1);

  ASSERT_TRUE(queue.nack(*first, "boom", Millis(0)));
  auto second = queue.lease(Millis(1000), Millis(0));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->id, first->id) << "a nacked task is due first: it was available longest";
  EXPECT_EQ(second->delivery_count, 2);
  pending = redis({"XPENDING", key("stream:convert"), "workers", "-", "+", "10"});
  ASSERT_EQ(pending.elements.size(), 1u);
  EXPECT_EQ(pending.elements[0].elements[3].as_integer(), 2) << "XAUTOCLAIM counted it";

  // Extending does not count a delivery (XCLAIM ... JUSTID).
  ASSERT_TRUE(queue.extend_lease(*second, Millis(5000)));
  pending = redis({"XPENDING", key("stream:convert"), "workers", "-", "+", "10"});
  EXPECT_EQ(pending.elements.at(0).elements[3].as_integer(), 2);

  // Its last delivery failed: XADD to the dead letters and XACK + XDEL here, in one script.
  ASSERT_TRUE(queue.nack(*second, "boom again", Millis(0)));
  auto dead = queue.lease(Millis(1000), Millis(0));
  ASSERT_TRUE(dead);
  EXPECT_TRUE(dead->dead_lettered);
  EXPECT_EQ(redis({"XLEN", key("dead")}).as_integer(), 1);
  EXPECT_EQ(redis({"XLEN", key("stream:convert")}).as_integer(), 1) << "only task 1 is left";
  pending = redis({"XPENDING", key("stream:convert"), "workers", "-", "+", "10"});
  EXPECT_TRUE(pending.elements.empty());
  ASSERT_TRUE(queue.ack(*dead));

  auto last = queue.lease(Millis(1000), Millis(0));
  ASSERT_TRUE(last);
  ASSERT_TRUE(queue.ack(*last));
  EXPECT_EQ(redis({"XLEN", key("stream:convert")}).as_integer(), 0);
  EXPECT_EQ(redis({"EXISTS", key("waiting:user-7")}).as_integer(), 0) << "an empty group is gone";
  EXPECT_TRUE(redis({"ZSCORE", key("groups"), "user-7"}).is_nil());
  EXPECT_EQ(redis({"XLEN", key("dead")}).as_integer(), 1) << "dead letters are kept";
}

TEST_F(RedisQueueTest, AWaitingLeaseIsWokenByTheEntryFedToItsStream) {
  config_.clock = {};
  // Polling alone would not find the task within the wait: what wakes the lease is the entry
  // fed to the stream it waits on in XREADGROUP ... BLOCK.
  config_.poll_interval = Millis(60'000);
  RedisTaskQueue queue(client_, config_);
  std::thread later([&] {
    std::this_thread::sleep_for(Millis(200));
    queue.enqueue(contract_task("j", 0, "g"));
  });
  const auto d = queue.lease(Millis(5000), Millis(20'000));
  later.join();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->task.image_index, 0);
  const RedisValue consumers = redis({"XINFO", "CONSUMERS", key("stream:convert"), "workers"});
  ASSERT_EQ(consumers.elements.size(), 1u);
  EXPECT_EQ(consumers.elements[0].elements.at(3).as_integer(), 1) << "it holds one entry";
}

TEST_F(RedisQueueTest, ANackDueAtOnceWakesAWaitingLease) {
  config_.clock = {};
  config_.poll_interval = Millis(60'000);
  config_.max_deliveries = 5;
  RedisTaskQueue queue(client_, config_);
  ASSERT_TRUE(queue.enqueue(contract_task("j", 0, "g")));
  const auto first = queue.lease(Millis(5000), Millis(0));
  ASSERT_TRUE(first);
  // The task is pending, not new: what wakes the waiting lease is the nudge fed to the stream.
  std::thread later([&] {
    std::this_thread::sleep_for(Millis(200));
    EXPECT_TRUE(queue.nack(*first, "try again", Millis(0)));
  });
  const auto again = queue.lease(Millis(5000), Millis(20'000));
  later.join();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->delivery_count, 2);
  EXPECT_EQ(again->last_error, "try again");
  // The stream was fed the task, then the nudge (the waiting consumer read it and removed it).
  const RedisValue info = redis({"XINFO", "STREAM", key("stream:convert")});
  for (std::size_t i = 0; i + 1 < info.elements.size(); i += 2) {
    if (info.elements[i].as_string() == "entries-added") {
      EXPECT_EQ(info.elements[i + 1].as_integer(), 2);
    }
  }
  EXPECT_EQ(redis({"XLEN", key("stream:convert")}).as_integer(), 1) << "the nudge is gone";
}

TEST_F(RedisQueueTest, AnEntryReadButNeverBegunIsClaimedBack) {
  config_.clock = {};
  config_.read_grace = Millis(100);
  RedisTaskQueue queue(client_, config_);
  ASSERT_TRUE(queue.enqueue(contract_task("j", 0, "g")));
  // A consumer reads the fed entry and stops before its lease begins.
  const RedisValue read = redis({"XREADGROUP", "GROUP", "workers", "gone", "COUNT", "1", "STREAMS",
                                 key("stream:convert"), ">"});
  ASSERT_EQ(read.elements.size(), 1u);
  EXPECT_FALSE(queue.lease(Millis(1000), Millis(0))) << "it may still begin it";
  EXPECT_EQ(queue.depth().in_flight, 1);
  std::this_thread::sleep_for(Millis(150));
  const auto d = queue.lease(Millis(1000), Millis(0));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->delivery_count, 2);
  EXPECT_EQ(d->last_error, TaskQueue::LEASE_EXPIRED_ERROR);
  EXPECT_TRUE(queue.ack(*d));
  EXPECT_EQ(queue.depth().waiting + queue.depth().in_flight, 0);
}

TEST_F(RedisQueueTest, RedisNotTheIndexDecidesThatALeaseRanOut) {
  RedisTaskQueue queue(client_, config_);
  ASSERT_TRUE(queue.enqueue(contract_task("j", 0, "g")));
  const auto d = queue.lease(Millis(60'000), Millis(0));
  ASSERT_TRUE(d);
  // The queue's own index is wrong: it says the lease ended already. XAUTOCLAIM's min-idle-time
  // (the pending-entries list's idle time, set when the lease began) keeps the task leased.
  redis({"ZADD", key("leased:g"), std::to_string(now_.load() - 1), d->id});
  EXPECT_FALSE(queue.lease(Millis(1000), Millis(0)));
  now_ += 59'900;
  EXPECT_FALSE(queue.lease(Millis(1000), Millis(0)));
  now_ += 100;
  const auto again = queue.lease(Millis(1000), Millis(0));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, d->id);
  EXPECT_EQ(again->delivery_count, 2);
  EXPECT_FALSE(queue.ack(*d)) << "the first lease is lost";
  EXPECT_TRUE(queue.ack(*again));
}

TEST_F(RedisQueueTest, EveryKeySharesTheQueuesHashTag) {
  RedisTaskQueue queue(client_, config_);
  Task t = contract_task("j", 0, "g");
  t.dedupe_key = "convert:j:0";
  ASSERT_TRUE(queue.enqueue(t));
  auto d = queue.lease(Millis(1000), Millis(0));
  ASSERT_TRUE(d);
  const RedisValue keys = redis({"KEYS", "*" + config_.prefix + "*"});
  ASSERT_FALSE(keys.elements.empty());
  for (const RedisValue& k : keys.elements) {
    EXPECT_TRUE(k.as_string().starts_with("{" + config_.prefix + "}:")) << k.as_string();
  }
  EXPECT_EQ(redis({"GET", key("dedupe:convert:j:0")}).as_string(), d->id) << "its holder";
  EXPECT_GT(redis({"PTTL", key("dedupe:convert:j:0")}).as_integer(), 0) << "it has a lifetime";
}

TEST_F(RedisQueueTest, AGroupNameMayHoldSpacesColonsAndBraces) {
  RedisTaskQueue queue(client_, config_);
  const std::string odd = "user 7:{x} y";
  ASSERT_TRUE(queue.enqueue(contract_task("j", 0, odd)));
  now_ += 1;
  ASSERT_TRUE(queue.enqueue(contract_task("k", 0, "user 7")));
  auto first = queue.lease(Millis(1000), Millis(0));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->task.group, odd);
  ASSERT_TRUE(queue.nack(*first, "again", Millis(0)));
  auto other = queue.lease(Millis(1000), Millis(0));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->task.group, "user 7") << "served in turn";
  auto again = queue.lease(Millis(1000), Millis(0));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->delivery_count, 2);
  EXPECT_TRUE(queue.ack(*again));
  EXPECT_TRUE(queue.ack(*other));
  EXPECT_EQ(queue.depth().waiting + queue.depth().in_flight, 0);
  const RedisValue keys = redis({"KEYS", "*" + config_.prefix + "*"});
  for (const RedisValue& k : keys.elements) {
    EXPECT_TRUE(k.as_string().starts_with("{" + config_.prefix + "}:")) << k.as_string();
  }
}

TEST_F(RedisQueueTest, TwoProcessesNeverShareATask) {
  config_.clock = {};
  config_.poll_interval = Millis(50);
  // Two queue objects, each with its own connection pool: two worker processes.
  RedisTaskQueue first(config_);
  RedisTaskQueue second(config_);
  constexpr int TASKS = 120;
  std::vector<Task> tasks;
  for (int i = 0; i < TASKS; ++i) tasks.push_back(contract_task("j", i, std::to_string(i % 5)));
  ASSERT_EQ(first.enqueue_batch(tasks), TASKS);
  std::mutex mutex;
  std::vector<int> seen;
  std::vector<std::thread> workers;
  for (RedisTaskQueue* queue : {&first, &second, &first, &second}) {
    workers.emplace_back([&, queue] {
      while (auto d = queue->lease(Millis(60'000), Millis(0))) {
        {
          const std::lock_guard lock(mutex);
          seen.push_back(d->task.image_index);
        }
        EXPECT_TRUE(queue->ack(*d));
      }
    });
  }
  for (auto& w : workers) w.join();
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(TASKS));
  EXPECT_EQ(std::set<int>(seen.begin(), seen.end()).size(), static_cast<std::size_t>(TASKS));
  EXPECT_TRUE(first.ping());
}

/// A bus on the fixture's server with a prefix of its own, deleted afterwards.
class RedisBusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.connection = redis_connection(fixture_redis());
    config_.prefix = fresh_redis_prefix("events-extra");
  }
  void TearDown() override {
    RedisClient cleaner(config_.connection);
    delete_redis_prefix(cleaner, config_.prefix);
  }
  RedisEventBusConfig config_;
};

TEST_F(RedisBusTest, IdsAreTheStreamIdsAndIncreaseAcrossUsers) {
  RedisEventBus bus(config_);
  const Event a = bus.publish(1, "j", "progress", "{}");
  const Event b = bus.publish(2, "k", "progress", "{}");
  const Event c = bus.publish(1, "j", "progress", "{}");
  EXPECT_EQ(a.id, "1-0");
  EXPECT_EQ(b.id, "2-0");
  EXPECT_EQ(c.id, "3-0");
  RedisClient client(config_.connection);
  const RedisValue rows =
      client.command({"XRANGE", "{" + config_.prefix + "}:user:1", "-", "+"}, "read the stream");
  ASSERT_EQ(rows.elements.size(), 2u);
  EXPECT_EQ(rows.elements[0].elements[0].as_string(), a.id);
  EXPECT_EQ(rows.elements[1].elements[0].as_string(), c.id);
  EXPECT_GT(client.command({"PTTL", "{" + config_.prefix + "}:user:1"}, "ttl").as_integer(), 0);
  // Last-Event-ID as the number alone is accepted too.
  const auto missed = bus.replay_after(1, "1");
  ASSERT_TRUE(missed);
  ASSERT_EQ(missed->size(), 1u);
  EXPECT_EQ((*missed)[0].id, c.id);
  EXPECT_FALSE(bus.replay_after(1, "1-1"));
  EXPECT_FALSE(bus.replay_after(99, "1-0")) << "no stream: a snapshot is always safe";
}

TEST_F(RedisBusTest, AnotherProcessReceivesOnlyItsSubscribedUsersEvents) {
  RedisEventBus api(config_);     // the API process with the browser's SSE stream
  RedisEventBus worker(config_);  // a worker process publishing progress
  Inbox alice;
  auto sub = api.subscribe(1, alice.handler());
  EXPECT_TRUE(api.listening());
  worker.publish(2, "other", "progress", "{}");
  const Event mine = worker.publish(1, "j", "job.completed", R"({"ok":true})");
  const auto got = alice.wait_for(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, mine.id);
  EXPECT_EQ(got[0].data, R"({"ok":true})");
  EXPECT_EQ(api.subscriber_count(), 1u);
  sub.reset();
  EXPECT_EQ(api.subscriber_count(), 0u);
}

/// A redis-server of the test's own (the fixture's is shared with tests running meanwhile),
/// restarted in the middle of the work.
class RedisRestartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    state_ = (std::filesystem::path(::testing::TempDir()) /
              ("imagesprint-redis-restart-" + std::to_string(getpid()) + "-" +
               std::to_string(++counter) + ".state"))
                 .string();
    redis_server_script("start", state_);
    connection_ = redis_connection(read_redis_state(state_));
    connection_.max_attempts = 8;
  }
  void TearDown() override {
    try {
      redis_server_script("stop", state_);
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
    }
  }
  void restart() { redis_server_script("restart", state_); }

  std::string state_;
  RedisConnectionConfig connection_;
};

TEST_F(RedisRestartTest, LosesNoEnqueuedOrLeasedTaskAndReconnectsByItself) {
  RedisTaskQueueConfig config;
  config.connection = connection_;
  config.prefix = "restart";
  RedisTaskQueue queue(config);
  std::vector<Task> tasks;
  for (int i = 0; i < 20; ++i) {
    Task t = contract_task("j", i, std::to_string(i % 3));
    t.dedupe_key = "convert:j:" + std::to_string(i);
    tasks.push_back(t);
  }
  ASSERT_EQ(queue.enqueue_batch(tasks), 20);
  std::vector<Delivery> held;
  for (int i = 0; i < 5; ++i) {
    auto d = queue.lease(Millis(60'000), Millis(0));
    ASSERT_TRUE(d);
    held.push_back(*d);
  }
  ASSERT_TRUE(queue.ack(held[0]));
  ASSERT_TRUE(queue.ack(held[1]));
  held.erase(held.begin(), held.begin() + 2);
  const QueueDepth before = queue.depth();
  EXPECT_EQ(before.waiting, 15);
  EXPECT_EQ(before.in_flight, 3);

  restart();  // SIGKILL, then the same port and folder: the AOF is read back

  // The same object, whose pooled connections died with the server: no reopen, no reconnect
  // call; the next calls find the server again.
  const QueueDepth after = queue.depth();
  EXPECT_EQ(after.waiting, before.waiting);
  EXPECT_EQ(after.in_flight, before.in_flight);
  EXPECT_TRUE(queue.ping());
  std::set<std::string> leased_after;
  while (auto d = queue.lease(Millis(60'000), Millis(0))) {
    for (const Delivery& h : held) EXPECT_NE(d->id, h.id) << "a held lease survived the restart";
    EXPECT_EQ(d->delivery_count, 1);
    leased_after.insert(d->id);
    EXPECT_TRUE(queue.ack(*d));
  }
  EXPECT_EQ(leased_after.size(), 15u) << "every waiting task survived";
  for (const Delivery& h : held) EXPECT_TRUE(queue.ack(h)) << "its lease token survived too";
  const QueueDepth end = queue.depth();
  EXPECT_EQ(end.waiting, 0);
  EXPECT_EQ(end.in_flight, 0);
  EXPECT_TRUE(queue.enqueue(tasks[0])) << "a finished task's dedupe key is free";
}

TEST_F(RedisRestartTest, WorkersRideThroughARestartWithNothingLost) {
  RedisTaskQueueConfig config;
  config.connection = connection_;
  config.prefix = "ride";
  config.poll_interval = Millis(50);
  RedisTaskQueue queue(config);
  constexpr int TASKS = 60;
  std::vector<Task> tasks;
  for (int i = 0; i < TASKS; ++i) tasks.push_back(contract_task("j", i, std::to_string(i % 4)));
  ASSERT_EQ(queue.enqueue_batch(tasks), TASKS);

  // Worker loops as the app runs them: a StorageError (Redis away) is waited out and retried;
  // a lease whose ack was lost runs out (2 s) and is delivered again.
  std::mutex mutex;
  std::set<int> done;
  std::atomic<int> acked{0};
  std::atomic<int> storage_errors{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  for (int w = 0; w < 2; ++w) {
    workers.emplace_back([&] {
      while (!stop) {
        try {
          auto d = queue.lease(Millis(2000), Millis(200));
          if (!d) continue;
          std::this_thread::sleep_for(Millis(10));  // the work
          if (queue.ack(*d)) {
            const std::lock_guard lock(mutex);
            done.insert(d->task.image_index);
            ++acked;
          }
        } catch (const StorageError&) {
          ++storage_errors;
          std::this_thread::sleep_for(Millis(100));
        }
      }
    });
  }
  for (int i = 0; i < 500 && acked < TASKS / 3; ++i) std::this_thread::sleep_for(Millis(20));
  restart();
  for (int i = 0; i < 3000; ++i) {  // at most 60 s
    try {
      const QueueDepth depth = queue.depth();
      if (depth.waiting + depth.in_flight == 0) break;
    } catch (const StorageError&) {
    }
    std::this_thread::sleep_for(Millis(20));
  }
  stop = true;
  for (auto& w : workers) w.join();
  const QueueDepth end = queue.depth();
  EXPECT_EQ(end.waiting, 0);
  EXPECT_EQ(end.in_flight, 0);
  EXPECT_EQ(end.dead_letters, 0);
  // Every task was finished; one whose ack's answer died with the server was removed all the
  // same (the AOF had it), so its worker did not count it: at most the two in flight.
  EXPECT_GE(done.size(), static_cast<std::size_t>(TASKS - 2));
  RecordProperty("storage_errors", storage_errors.load());
}

TEST_F(RedisRestartTest, TheBusSubscribesAgainAndCatchesUp) {
  RedisEventBusConfig config;
  config.connection = connection_;
  config.prefix = "bus";
  config.reconnect_base_delay = Millis(50);
  config.reconnect_max_delay = Millis(500);
  RedisEventBus bus(config);
  Inbox inbox;
  auto sub = bus.subscribe(1, inbox.handler());
  const Event before = bus.publish(1, "j", "progress", "1");
  ASSERT_EQ(inbox.wait_for(1).size(), 1u);

  restart();

  // Published as soon as Redis is back, maybe before the subscriber connection is: delivered
  // live or by the catch-up from the stream, once either way.
  const Event after = bus.publish(1, "j", "progress", "2");
  const Event later = bus.publish(1, "j", "job.completed", "3");
  const auto got = inbox.wait_for(3);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[1].id, after.id);
  EXPECT_EQ(got[2].id, later.id);
  for (int i = 0; i < 500 && !bus.listening(); ++i) std::this_thread::sleep_for(Millis(20));
  EXPECT_TRUE(bus.listening());
  const auto missed = bus.replay_after(1, before.id);
  ASSERT_TRUE(missed) << "the stream survived the restart (AOF)";
  EXPECT_EQ(missed->size(), 2u);
  // And live delivery goes on.
  bus.publish(1, "j", "progress", "4");
  EXPECT_EQ(inbox.wait_for(4).size(), 4u);
  sub.reset();
}

TEST_F(RedisRestartTest, EventsPublishedWhileRedisIsDownArriveWhenItIsBack) {
  RedisEventBusConfig config;
  config.connection = connection_;
  config.connection.max_attempts = 2;
  config.prefix = "held";
  config.reconnect_base_delay = Millis(50);
  config.reconnect_max_delay = Millis(500);
  RedisEventBus bus(config);
  Inbox inbox;
  auto sub = bus.subscribe(1, inbox.handler());
  const Event before = bus.publish(1, "j", "progress", "1");
  ASSERT_EQ(inbox.wait_for(1).size(), 1u);

  // Down for 3 s (SIGKILL, then the same port and AOF): publish meanwhile.
  std::thread outage([&] { redis_server_script("restart", state_, "3"); });
  for (int i = 0; i < 500 && bus.ping(); ++i) std::this_thread::sleep_for(Millis(10));
  EXPECT_FALSE(bus.ping());
  const Event held = bus.publish(1, "j", "progress", "2");
  const Event last = bus.publish(1, "j", "job.completed", "3");
  EXPECT_EQ(held.id, "") << "published while Redis was down?";
  EXPECT_EQ(last.id, "");
  EXPECT_EQ(bus.events_waiting(), 2u);
  outage.join();

  // Back: both arrive, in order, with ids, live or from the stream; and they are in the stream.
  const auto got = inbox.wait_for(3);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[1].data, "2");
  EXPECT_EQ(got[2].data, "3");
  EXPECT_EQ(got[2].type, "job.completed");
  EXPECT_FALSE(got[1].id.empty());
  EXPECT_EQ(bus.events_waiting(), 0u);
  EXPECT_EQ(bus.events_dropped(), 0u);
  const auto replayed = bus.replay_after(1, before.id);
  ASSERT_TRUE(replayed);
  ASSERT_EQ(replayed->size(), 2u);
  EXPECT_EQ((*replayed)[0].data, "2");
  EXPECT_EQ((*replayed)[1].data, "3");
  sub.reset();
}

TEST_F(RedisRestartTest, AFullOutboxDropsItsOldestEvent) {
  RedisEventBusConfig config;
  config.connection = connection_;
  config.connection.max_attempts = 1;
  config.prefix = "full";
  config.outbox_limit = 2;
  RedisEventBus bus(config);
  redis_server_script("stop", state_);
  for (const char* data : {"1", "2", "3"}) bus.publish(1, "j", "progress", data);
  EXPECT_EQ(bus.events_waiting(), 2u);
  EXPECT_EQ(bus.events_dropped(), 1u);
  // With no outbox, a publish while Redis is away fails as before.
  config.outbox_limit = 0;
  config.prefix = "none";
  RedisEventBus strict(config);
  EXPECT_THROW(strict.publish(1, "j", "progress", "1"), StorageError);
}

TEST_F(RedisRestartTest, CallsFailWithStorageErrorWhileRedisIsAway) {
  RedisTaskQueueConfig config;
  config.connection = connection_;
  config.connection.max_attempts = 2;
  config.prefix = "away";
  RedisTaskQueue queue(config);
  EXPECT_TRUE(queue.ping());
  redis_server_script("stop", state_);
  EXPECT_FALSE(queue.ping());
  EXPECT_THROW(queue.enqueue(contract_task("j", 0)), StorageError);
  EXPECT_THROW(queue.lease(Millis(1000), Millis(0)), StorageError);
  EXPECT_THROW(queue.depth(), StorageError);
}

}  // namespace
}  // namespace imagesprint::test
