#pragma once
// The TaskQueue port's contract (ports/task_queue.hpp) as tests, for every implementation. An
// implementation joins by instantiating the suite with a factory:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, TaskQueueContract,
//                            ::testing::Values(TaskQueueImplementation{"sqlite", make_it}),
//                            TaskQueueContract::name_of);
//
// The tests themselves are in task_queue_contract.cpp; they say nothing about the storage.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "ports/task_queue.hpp"

namespace imagesprint::test {

/// Settings every implementation must honour in the contract's tests.
struct QueueContractSettings {
  int max_deliveries = 3;           // deliveries for work before a dead letter
  int max_in_flight_per_group = 0;  // leases one group may hold at once; 0: no cap
};

/// One queue under test and what it lives on.
class QueueUnderTest {
 public:
  virtual ~QueueUnderTest() = default;
  virtual TaskQueue& queue() = 0;
  /// Drops the queue object and opens another on the same storage, as a restarted process would.
  virtual void reopen() = 0;
};

/// `clock`: milliseconds since the epoch for the queue to use; empty: its real clock.
using MakeQueue = std::function<std::unique_ptr<QueueUnderTest>(
    const QueueContractSettings& settings, std::function<UnixMillis()> clock)>;

struct TaskQueueImplementation {
  std::string name;
  MakeQueue make;
};

class TaskQueueContract : public ::testing::TestWithParam<TaskQueueImplementation> {
 public:
  static std::string name_of(const ::testing::TestParamInfo<TaskQueueImplementation>& info) {
    return info.param.name;
  }

 protected:
  static constexpr UnixMillis START = 1'700'000'000'000;

  void SetUp() override { open(); }

  /// A fresh queue on the hand-moved clock.
  void open(QueueContractSettings settings = {}) {
    under_test_.reset();
    under_test_ = GetParam().make(settings, [this] { return now_.load(); });
  }
  /// A fresh queue on the real clock (waiting, threads).
  void open_real_time(QueueContractSettings settings = {}) {
    under_test_.reset();
    under_test_ = GetParam().make(settings, {});
  }
  void reopen() { under_test_->reopen(); }
  void advance(UnixMillis ms) { now_ += ms; }
  TaskQueue& queue() { return under_test_->queue(); }
  std::optional<Delivery> lease(TaskQueue::Millis lease = TaskQueue::Millis(1000)) {
    return queue().lease(lease, TaskQueue::Millis(0));
  }

 private:
  std::atomic<UnixMillis> now_{START};
  std::unique_ptr<QueueUnderTest> under_test_;
};

/// A convert task of `job` for image `index`, in `group`.
Task contract_task(const std::string& job, int index, std::string group = {},
                   std::string payload = {});

}  // namespace imagesprint::test
