#pragma once
// A SqliteTaskQueue on a fresh SQLite file, with a clock the test moves by hand.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "../temp_folder.hpp"
#include "adapters/sqlite/sqlite_task_queue.hpp"

namespace imagesprint::test {

inline Task convert_task(const std::string& job, int index, std::string payload = {}) {
  Task t;
  t.kind = TaskKind::convert;
  t.job_id = job;
  t.image_index = index;
  t.payload = std::move(payload);
  return t;
}

class QueueTest : public ::testing::Test {
 protected:
  static constexpr UnixMillis START = 1'700'000'000'000;

  QueueTest() : folder_("queue") { open(); }

  /// (Re)opens the database file and the queue, as a restarted process would.
  void open(int max_deliveries = 3) {
    queue_.reset();
    db_.reset();
    db_ = std::make_unique<DatabasePool>(file().string(), 4);
    SqliteTaskQueueConfig config;
    config.max_deliveries = max_deliveries;
    config.clock = [this] { return now_.load(); };
    queue_ = std::make_unique<SqliteTaskQueue>(*db_, config);
  }

  std::filesystem::path file() const { return folder_ / "queue.db"; }
  void advance(UnixMillis ms) { now_ += ms; }
  SqliteTaskQueue& queue() { return *queue_; }
  DatabasePool& db() { return *db_; }

  std::optional<Delivery> lease(TaskQueue::Millis lease = TaskQueue::Millis(1000)) {
    return queue_->lease(lease, TaskQueue::Millis(0));
  }

  TempFolder folder_;
  std::atomic<UnixMillis> now_{START};
  std::unique_ptr<DatabasePool> db_;
  std::unique_ptr<SqliteTaskQueue> queue_;
};

}  // namespace imagesprint::test
