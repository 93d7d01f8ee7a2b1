#pragma once
// TaskQueue on a SQLite table with leases (the embedded `serve`), through SOCI.
//
// A leased task stays in `tasks`: its available_at becomes the end of its lease and its
// lease_token the new lease's. So "available" is a single indexed comparison (available_at <=
// now), and an abandoned lease makes the task available again with no reaper thread. Every
// change runs in one BEGIN IMMEDIATE transaction, which takes SQLite's write lock up front: two
// threads or processes leasing at the same moment are serialised and never get the same task.
// A task past its deliveries moves to `dead_letters`, from where its failure is handed out
// (leased and acknowledged the same way) until a caller records it.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>

#include "adapters/sqlite/database_pool.hpp"
#include "domain/field_error.hpp"
#include "ports/task_queue.hpp"

namespace imagesprint {

struct SqliteTaskQueueConfig {
  static constexpr int DEFAULT_MAX_DELIVERIES = TaskQueue::DEFAULT_MAX_DELIVERIES;
  static constexpr std::chrono::milliseconds DEFAULT_POLL_INTERVAL{100};

  /// Deliveries for work before a task is dead-lettered; at least 1.
  int max_deliveries = DEFAULT_MAX_DELIVERIES;
  /// While lease() waits, how often it looks for tasks added by other processes (tasks added
  /// through this object wake it at once). Greater than 0.
  std::chrono::milliseconds poll_interval = DEFAULT_POLL_INTERVAL;
  /// Leases one group (Task::group) may hold at once; 0: no cap. With a cap, a user's images
  /// beyond it wait even while workers are idle.
  int max_in_flight_per_group = 0;
  /// Milliseconds since the Unix epoch; empty: the system clock. Tests move time by hand.
  std::function<UnixMillis()> clock;

  /// Every bad setting, each by its name (the constructor refuses them all at once).
  FieldErrors validate() const;
};

class SqliteTaskQueue final : public TaskQueue {
 public:
  /// Applies the queue's migrations (component "task_queue") to `db`, which may be the records'
  /// database or a file of its own. `db` must outlive the queue.
  explicit SqliteTaskQueue(DatabasePool& db, SqliteTaskQueueConfig config = {});

  int enqueue_batch(const std::vector<Task>& tasks) override;
  std::optional<Delivery> lease(Millis lease, Millis wait) override;
  bool ack(const Delivery& delivery) override;
  bool nack(const Delivery& delivery, std::string_view error, Millis delay) override;
  bool extend_lease(Delivery& delivery, Millis lease) override;
  QueueDepth depth() override;

  /// The schema, as ordered migrations (never edit a shipped one; append).
  static const std::vector<std::string>& migrations();

 private:
  std::optional<Delivery> try_lease(Millis lease);
  UnixMillis now() const;
  void wake();

  DatabasePool& db_;
  SqliteTaskQueueConfig config_;
  std::mutex wait_mutex_;
  std::condition_variable wait_cv_;
  std::uint64_t wake_generation_ = 0;  // bumped by enqueue and nack, under wait_mutex_
};

}  // namespace imagesprint
