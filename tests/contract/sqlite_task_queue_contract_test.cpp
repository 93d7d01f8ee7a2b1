// The TaskQueue contract for SqliteTaskQueue, on a fresh SQLite file per test.
#include "adapters/sqlite/sqlite_task_queue.hpp"
#include "task_queue_contract.hpp"
#include "unit/adapters/temp_folder.hpp"

namespace imagesprint::test {
namespace {

class SqliteQueueUnderTest final : public QueueUnderTest {
 public:
  SqliteQueueUnderTest(const QueueContractSettings& settings, std::function<UnixMillis()> clock)
      : folder_("queue-contract") {
    config_.max_deliveries = settings.max_deliveries;
    config_.max_in_flight_per_group = settings.max_in_flight_per_group;
    config_.clock = std::move(clock);
    if (!config_.clock) config_.poll_interval = std::chrono::milliseconds(20);
    reopen();
  }

  TaskQueue& queue() override { return *queue_; }

  void reopen() override {
    queue_.reset();
    db_.reset();
    db_ = std::make_unique<DatabasePool>((folder_ / "queue.db").string(), 6);
    queue_ = std::make_unique<SqliteTaskQueue>(*db_, config_);
  }

 private:
  TempFolder folder_;
  SqliteTaskQueueConfig config_;
  std::unique_ptr<DatabasePool> db_;
  std::unique_ptr<SqliteTaskQueue> queue_;
};

INSTANTIATE_TEST_SUITE_P(
    Embedded, TaskQueueContract,
    ::testing::Values(TaskQueueImplementation{
        "SqliteTaskQueue",
        [](const QueueContractSettings& settings, std::function<UnixMillis()> clock) {
          return std::make_unique<SqliteQueueUnderTest>(settings, std::move(clock));
        }}),
    TaskQueueContract::name_of);

}  // namespace
}  // namespace imagesprint::test
