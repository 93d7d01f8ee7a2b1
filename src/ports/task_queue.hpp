#pragma once
// Port: the durable queue of tasks between the API and the workers (a SQLite table with leases
// embedded; a Redis stream with a consumer group distributed). The contract both pass:
//
// - At-least-once: a task leaves the queue only when acknowledged. A task whose lease runs out
//   (its worker died, hung or was too slow) is delivered again, with its delivery count
//   incremented, so every use case must tolerate doing the same task twice.
// - Fair across groups, FIFO within one: tasks carry a group (Task::group, the job owner). Of
//   the groups with an available task, the one whose last lease is the oldest (or that was
//   never served) goes next; within a group, the task that has been available the longest goes
//   first (a new task at its enqueue time, a nacked one after its delay, an abandoned one at its
//   lease's end). So groups with work are served round-robin: one user's 50 images cannot hold
//   up another user's one. An implementation may cap the leases one group holds at once (a
//   setting); a group at its cap is passed over until one of its leases ends.
// - Bounded tries: a task is delivered for work at most `max_deliveries` times (a setting of
//   each implementation). After that it is dead-lettered: moved aside, kept with its last error,
//   and handed to a caller one more time with `dead_lettered` set, so that the image can be
//   marked failed with that error. That hand-over is leased and acknowledged like any delivery,
//   so a crash while recording the failure loses nothing either.
//
// Calls are synchronous and safe from any thread (the worker runs them on its own threads) and,
// for the shared implementations, from several processes. Failures of the storage behind the
// queue throw StorageError.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/job.hpp"
#include "domain/task.hpp"
#include "ports/storage_error.hpp"

namespace imagesprint {

/// One lease on one task. Pass it back, unchanged, to ack, nack or extend_lease.
struct Delivery {
  std::string id;           // the task's id; the same on every delivery (a row id, a stream id)
  std::string lease_token;  // identifies this lease; calls with an older lease's token do nothing
  Task task;
  int delivery_count = 0;           // deliveries for work so far, this one included (1 = first)
  UnixMillis lease_expires_at = 0;  // after this the task may be delivered to someone else
  std::string last_error;           // why the previous delivery failed (its nack's error, or a
                                    // note that its lease ran out); empty on a first delivery
  bool dead_lettered = false;       // the task used up its deliveries: do NOT run it; record the
                                    // failure (last_error), then ack to end the hand-over
};

/// Sizes for /metrics.
struct QueueDepth {
  std::int64_t waiting = 0;       // tasks not leased now: ready, delayed, or abandoned by a worker
  std::int64_t in_flight = 0;     // tasks under a running lease
  std::int64_t dead_letters = 0;  // tasks that used up their deliveries, kept for inspection
};

class TaskQueue {
 public:
  using Millis = std::chrono::milliseconds;

  /// Deliveries of one task before it is dead-lettered, unless an implementation is told
  /// otherwise (the `max_deliveries` setting).
  static constexpr int DEFAULT_MAX_DELIVERIES = 5;

  /// The last_error given to a task whose lease ran out without an ack or a nack.
  static constexpr std::string_view LEASE_EXPIRED_ERROR =
      "the lease ran out before the task was acknowledged (the worker stopped or was too slow)";

  virtual ~TaskQueue() = default;

  /// Adds the tasks, available at once, in their order, all or none. A task whose non-empty
  /// dedupe_key belongs to a task still waiting or leased is skipped. Returns how many were added.
  virtual int enqueue_batch(const std::vector<Task>& tasks) = 0;

  /// One task; false when skipped for its dedupe_key.
  bool enqueue(const Task& task) { return enqueue_batch({task}) == 1; }

  /// Leases the next task in the fair order above for `lease` (> 0): nobody else receives it until
  /// the lease ends, unless it is acknowledged, nacked or extended first. When none is available,
  /// waits up to `wait` (0: answer at once) for one, then returns nullopt.
  virtual std::optional<Delivery> lease(Millis lease, Millis wait) = 0;

  /// The work is done (or a dead letter's failure recorded): the task leaves the queue for good.
  /// False when the lease was lost (it ran out and the task went to another worker, who will
  /// finish it): nothing changes, and the caller must not assume it alone did the work.
  virtual bool ack(const Delivery& delivery) = 0;

  /// The delivery failed with `error` (kept as the task's last_error). The task is ready again
  /// after `delay` (>= 0), or at once, to be dead-lettered, if it has used its last delivery.
  /// False when the lease was already lost: nothing changes.
  virtual bool nack(const Delivery& delivery, std::string_view error, Millis delay) = 0;

  /// Moves the lease's end to now + `lease` (> 0) and updates delivery.lease_expires_at; renew at
  /// about half the lease during long work. False when the lease was already lost.
  virtual bool extend_lease(Delivery& delivery, Millis lease) = 0;

  virtual QueueDepth depth() = 0;
};

}  // namespace imagesprint
