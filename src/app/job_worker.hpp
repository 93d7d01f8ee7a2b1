#pragma once
// Use case: the worker. Takes one task at a time from the queue and does it:
// - convert: read the input, convert it, write the output, then record the outcome and "was this
//   the last image" in one atomic step (a redelivered image is never counted twice), publish the
//   progress, queue the finalize task when it was the last; acknowledge only after all that.
// - finalize: stream the ZIP of the outputs (with manifest.json) into storage, set the final
//   state and expiry, notify the user (in the app and live), publish job.completed/job.failed.
// Several threads may run run_one() at once (one image each).
#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "app/clock.hpp"
#include "app/job_ended_hook.hpp"
#include "domain/messages.hpp"
#include "imaging/engine.hpp"
#include "ports/archive_writer.hpp"
#include "ports/event_bus.hpp"
#include "ports/job_store.hpp"
#include "ports/notification_store.hpp"
#include "ports/object_store.hpp"
#include "ports/task_queue.hpp"

namespace imagesprint {

/// Reading the input, writing the output and recording it, on top of the engine's time budget.
inline constexpr std::chrono::milliseconds LEASE_MARGIN{30'000};

struct WorkerSettings {
  static constexpr std::chrono::seconds DEFAULT_LEASE{120};
  static constexpr std::chrono::seconds DEFAULT_RESULT_TTL{86'400};

  std::chrono::milliseconds lease = DEFAULT_LEASE;  // how long a task stays ours before redelivery
  std::chrono::milliseconds poll_wait{1'000};       // how long lease() waits for a task
  std::chrono::milliseconds retry_delay{2'000};     // before a retryable failure is tried again
  std::chrono::seconds result_ttl = DEFAULT_RESULT_TTL;  // outputs and archive are kept this long
  EngineLimits limits;
};

/// Observations for /metrics (all optional).
struct WorkerObserver {
  std::function<void(const std::string& outcome, double seconds)>
      image_converted;  // "done"/"failed"
  std::function<void(JobStatus status)> job_finished;
};

/// Makes the ZIP writer for a sink (the ZIP adapter; a port so the use case knows no libarchive).
using ArchiveWriterFactory = std::function<std::unique_ptr<ArchiveWriter>(ArchiveSink)>;

struct WorkerDeps {
  JobStore& jobs;
  ObjectStore& objects;
  TaskQueue& queue;
  EventBus& events;
  NotificationStore& notifications;
  ArchiveWriterFactory archive_writer;
  Clock now;
  WorkerObserver observer;
  /// Called with "job.completed" or "job.failed" when a job ends, before its final state is
  /// written (webhook deliveries are persisted there: a crash in between redoes the finalize,
  /// so they are at-least-once, never lost). Optional.
  JobEndedHook job_ended;
  /// Whether the stores answer now (the database's ping ...). Optional. After a storage failure
  /// the worker asks it: when they do not, the failure was an outage, not the task's, and the
  /// worker stops leasing until they answer again (step()), so an outage of any length costs
  /// each worker thread one delivery of the task in hand rather than every waiting task's
  /// deliveries, which would dead-letter them all.
  std::function<bool()> stores_answer;
};

class JobWorker {
 public:
  JobWorker(WorkerDeps deps, WorkerSettings settings);

  /// Leases one task (waiting up to poll_wait) and does it. False when there was none.
  bool run_one();

  /// One turn of a worker thread: run_one(), or, during an outage of the stores, a check
  /// whether they answer again. Returns how long to wait before the next turn.
  std::chrono::milliseconds step();

  /// Whether this worker stopped leasing because the stores did not answer.
  bool paused() const { return outage_backoff_.count() > 0; }

  /// Does one leased task (public for tests of redelivery).
  void handle(Delivery& delivery);

 private:
  void convert_image(Delivery& delivery);
  void record_failure(const Job& job, int index, const std::string& code,
                      const std::string& message);
  void after_outcome(const Job& job, const ImageRecord& outcome, const ImageProgress& progress);
  /// Removes the output just written for an image that was not counted because it is canceled
  /// or gone.
  void drop_output_of_a_gone_image(const Job& job, int index);
  void finalize(const Delivery& delivery);
  /// finalize() without the look at the job after the acknowledgement.
  void finalize_once(const Delivery& delivery);
  void finalize_canceled(Job& job);
  /// The end of a job, told once: the notification, its event, the job's event (JobEndedEvent,
  /// from the job's status), the metric.
  /// `extra`: more parameters of the notice (a "variant" of its sentence and what it names).
  void announce_end(const Job& job, const std::string& notice_type, UnixMillis now,
                    const MessageParams& extra = MessageParams::object());
  void write_archive(const Job& job, const std::vector<ImageRecord>& images);

  WorkerDeps deps_;
  WorkerSettings settings_;
  /// Zero while leasing; during an outage, the wait before the next check (doubling to a cap).
  std::chrono::milliseconds outage_backoff_{0};
};

/// Start-up recovery: re-enqueues every unfinished image of queued/processing jobs, and the
/// finalize task of jobs whose images are all recorded but that never finished (a crash between
/// the records and the queue). Safe to run at every start: tasks are deduplicated by key.
void recover_unfinished_jobs(JobStore& jobs, TaskQueue& queue);

}  // namespace imagesprint
