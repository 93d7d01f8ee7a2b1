// The TaskQueue and EventBus contracts for the Redis adapters, on the real redis-server that
// the fixture "redis_server" runs (tests/support/redis_server.sh). Each queue and each bus gets
// a key prefix of its own, deleted when it is dropped, so the tests never see each other.
#include "adapters/redis/redis_event_bus.hpp"
#include "adapters/redis/redis_task_queue.hpp"
#include "event_bus_contract.hpp"
#include "redis_test_support.hpp"
#include "task_queue_contract.hpp"

namespace imagesprint::test {
namespace {

using redis::RedisClient;
using redis::RedisEventBus;
using redis::RedisEventBusConfig;
using redis::RedisTaskQueue;
using redis::RedisTaskQueueConfig;

class RedisQueueUnderTest final : public QueueUnderTest {
 public:
  RedisQueueUnderTest(const QueueContractSettings& settings, std::function<UnixMillis()> clock) {
    config_.connection = redis_connection(fixture_redis());
    config_.prefix = fresh_redis_prefix("queue");
    config_.max_deliveries = settings.max_deliveries;
    config_.max_in_flight_per_group = settings.max_in_flight_per_group;
    config_.clock = std::move(clock);
    if (!config_.clock) config_.poll_interval = std::chrono::milliseconds(50);
    reopen();
  }
  ~RedisQueueUnderTest() override {
    queue_.reset();
    RedisClient cleaner(config_.connection);
    delete_redis_prefix(cleaner, config_.prefix);
  }

  TaskQueue& queue() override { return *queue_; }

  /// A new object with a new connection pool on the same keys: a restarted process.
  void reopen() override {
    queue_.reset();
    queue_ = std::make_unique<RedisTaskQueue>(config_);
  }

 private:
  RedisTaskQueueConfig config_;
  std::unique_ptr<RedisTaskQueue> queue_;
};

INSTANTIATE_TEST_SUITE_P(
    Redis, TaskQueueContract,
    ::testing::Values(TaskQueueImplementation{
        "RedisTaskQueue",
        [](const QueueContractSettings& settings, std::function<UnixMillis()> clock) {
          return std::make_unique<RedisQueueUnderTest>(settings, std::move(clock));
        }}),
    TaskQueueContract::name_of);

/// A RedisEventBus on a prefix of its own, whose keys are deleted with it.
class CleanedRedisEventBus final : public EventBus {
 public:
  explicit CleanedRedisEventBus(std::size_t history) {
    config_.connection = redis_connection(fixture_redis());
    config_.prefix = fresh_redis_prefix("events");
    config_.history = history;
    bus_ = std::make_unique<RedisEventBus>(config_);
  }
  ~CleanedRedisEventBus() override {
    bus_.reset();
    RedisClient cleaner(config_.connection);
    delete_redis_prefix(cleaner, config_.prefix);
  }

  Event publish(std::int64_t user_id, std::string job_id, std::string type,
                std::string data) override {
    return bus_->publish(user_id, std::move(job_id), std::move(type), std::move(data));
  }
  std::unique_ptr<Subscription> subscribe(std::int64_t user_id, Handler handler) override {
    return bus_->subscribe(user_id, std::move(handler));
  }
  std::optional<std::vector<Event>> replay_after(std::int64_t user_id,
                                                 const std::string& last_id) override {
    return bus_->replay_after(user_id, last_id);
  }

 private:
  RedisEventBusConfig config_;
  std::unique_ptr<RedisEventBus> bus_;
};

INSTANTIATE_TEST_SUITE_P(Redis, EventBusContract,
                         ::testing::Values(EventBusImplementation{
                             "RedisEventBus",
                             [](std::size_t history) {
                               return std::make_unique<CleanedRedisEventBus>(history);
                             }}),
                         EventBusContract::name_of);

}  // namespace
}  // namespace imagesprint::test
