#include "app/job_worker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "app/json_views.hpp"
#include "app/notices.hpp"
#include "app/object_keys.hpp"
#include "app/user_events.hpp"
#include "domain/json_text.hpp"
#include "domain/manifest.hpp"
#include "domain/untrusted_text.hpp"
#include "ports/storage_error.hpp"

namespace imagesprint {
namespace {

// An error's text has no bound (an exception's what()), but the records do: an image's failure
// holds 1,024 characters, a notice's message too (a quoted error is a part of it).
constexpr std::size_t MAX_FAILURE_CHARS = 1000;
constexpr std::size_t MAX_QUOTED_ERROR_CHARS = 500;

// Checks during an outage: soon at first, then every few seconds.
constexpr std::chrono::milliseconds OUTAGE_FIRST_CHECK{250};
constexpr std::chrono::milliseconds OUTAGE_LAST_CHECK{4'000};

/// The notification for a finished job: type and human text.
std::string completion_notice(const Job& job) {
  switch (job.status) {
    case JobStatus::done:
      return "JOB_DONE";
    case JobStatus::partial:
      return "JOB_PARTIAL";
    default:
      return "JOB_FAILED";
  }
}

/// Every image recorded, the upload over, and not finalized yet.
bool ready_to_finalize(const Job& job) {
  return job.status != JobStatus::uploading && !is_finished(job.status) &&
         job.done + job.failed >= job.total;
}

}  // namespace

JobWorker::JobWorker(WorkerDeps deps, WorkerSettings settings)
    : deps_(std::move(deps)), settings_(settings) {}

bool JobWorker::run_one() {
  auto delivery = deps_.queue.lease(settings_.lease, settings_.poll_wait);
  if (!delivery) return false;
  try {
    handle(*delivery);
  } catch (const StorageError& e) {
    // Decided before the nack, which may fail too (a queue in the same database).
    if (deps_.stores_answer && !deps_.stores_answer()) {
      outage_backoff_ = OUTAGE_FIRST_CHECK;
      spdlog::warn("worker: the stores do not answer ({}); leasing paused until they do", e.what());
    }
    deps_.queue.nack(*delivery, e.what(), settings_.retry_delay);
  } catch (const std::exception& e) {
    // The task's own trouble: give it back; the queue retries, then dead-letters.
    deps_.queue.nack(*delivery, e.what(), settings_.retry_delay);
  }
  return true;
}

std::chrono::milliseconds JobWorker::step() {
  if (outage_backoff_.count() > 0) {
    bool answer = false;
    try {
      answer = deps_.stores_answer();
    } catch (const std::exception&) {
    }
    if (!answer) {
      const auto wait = outage_backoff_;
      outage_backoff_ = std::min(outage_backoff_ * 2, OUTAGE_LAST_CHECK);
      return wait;
    }
    outage_backoff_ = std::chrono::milliseconds(0);
    spdlog::info("worker: the stores answer again; leasing resumes");
  }
  run_one();
  return std::chrono::milliseconds(0);
}

void JobWorker::handle(Delivery& delivery) {
  if (delivery.task.kind == TaskKind::finalize) {
    finalize(delivery);
  } else {
    convert_image(delivery);
  }
}

void JobWorker::convert_image(Delivery& delivery) {
  const Task& task = delivery.task;
  const auto job = deps_.jobs.find_job(task.job_id);
  if (!job || job->status == JobStatus::canceled || job->status == JobStatus::expired) {
    deps_.queue.ack(delivery);  // nothing left to do for a deleted or canceled job
    return;
  }
  const auto image = deps_.jobs.image(task.job_id, task.image_index);
  if (!image) {
    deps_.queue.ack(delivery);
    return;
  }
  if (image->status == ImageStatus::done || image->status == ImageStatus::failed ||
      image->status == ImageStatus::canceled) {
    // Already recorded: the previous delivery died after recording. Make sure the job still
    // gets finalized if that delivery died before queueing it.
    if (ready_to_finalize(*job)) deps_.queue.enqueue(Task::finalize_job(*job));
    deps_.queue.ack(delivery);
    return;
  }
  if (delivery.dead_lettered) {
    record_failure(*job, task.image_index, "internal",
                   "gave up after " + std::to_string(delivery.delivery_count) +
                       " attempts: " + delivery.last_error);
    deps_.queue.ack(delivery);
    return;
  }
  deps_.jobs.start_image(job->id, task.image_index, delivery.delivery_count, deps_.now());

  const auto input = deps_.objects.get(object_keys::input(job->id, task.image_index));
  if (!input) {
    record_failure(*job, task.image_index, "internal", "the uploaded file is missing from storage");
    deps_.queue.ack(delivery);
    return;
  }
  std::vector<std::uint8_t> watermark;
  if (job->has_watermark_image) {
    if (auto logo = deps_.objects.get(object_keys::watermark(job->id)))
      watermark = std::move(*logo);
  }
  // The engine stops a conversion at the job's time budget (timeout_seconds, up to 300 s). A
  // budget longer than the lease would let the lease run out mid-conversion and a second worker
  // redo the image (counted once, but converted twice): extend the lease to cover it first.
  const auto budget =
      std::chrono::milliseconds(static_cast<std::int64_t>(job->options.timeout_seconds * 1000.0)) +
      LEASE_MARGIN;
  if (budget > settings_.lease) deps_.queue.extend_lease(delivery, budget);
  const auto started = std::chrono::steady_clock::now();
  auto result = convert(ConversionInput{*input, watermark, true}, job->options, settings_.limits);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  ImageRecord outcome;
  outcome.job_id = job->id;
  outcome.index = task.image_index;
  if (result) {
    deps_.objects.put(object_keys::output(job->id, task.image_index), result->bytes);
    outcome.status = ImageStatus::done;
    outcome.bytes_out = static_cast<std::int64_t>(result->bytes.size());
    outcome.width = result->width;
    outcome.height = result->height;
    outcome.format = std::string(to_string(result->format));
    outcome.quality_used = result->quality_used;
    outcome.input_pages = result->input.pages;
    outcome.page_used = result->page;
    outcome.blurhash = result->placeholder;
  } else {
    if (result.error().retryable) {
      // Out of memory and the like: another try may succeed; the queue bounds the tries.
      deps_.queue.nack(delivery, result.error().message, settings_.retry_delay);
      return;
    }
    outcome.status = ImageStatus::failed;
    outcome.error_code = std::string(to_string(result.error().code));
    outcome.error_message = cut_code_points(result.error().message, MAX_FAILURE_CHARS);
  }
  if (deps_.observer.image_converted)
    deps_.observer.image_converted(std::string(to_string(outcome.status)), seconds);
  const ImageProgress progress = deps_.jobs.record_image(outcome, deps_.now());
  if (!progress.counted && result) drop_output_of_a_gone_image(*job, task.image_index);
  after_outcome(*job, outcome, progress);
  deps_.queue.ack(delivery);
}

void JobWorker::drop_output_of_a_gone_image(const Job& job, int index) {
  // The image was canceled or deleted while it converted (its job deleted, or its upload failed
  // after conversions began): the output just written may have come after the job's objects
  // were removed, and nothing would remove it. The deletion cancels before it removes objects,
  // so an image seen neither canceled nor missing here was counted by an earlier delivery and
  // its output (the same bytes under the same key) stays.
  const auto image = deps_.jobs.image(job.id, index);
  if (!image || image->status == ImageStatus::canceled) {
    deps_.objects.remove(object_keys::output(job.id, index));
  }
}

void JobWorker::record_failure(const Job& job, int index, const std::string& code,
                               const std::string& message) {
  ImageRecord outcome;
  outcome.job_id = job.id;
  outcome.index = index;
  outcome.status = ImageStatus::failed;
  outcome.error_code = code;
  outcome.error_message = cut_code_points(message, MAX_FAILURE_CHARS);
  const ImageProgress progress = deps_.jobs.record_image(outcome, deps_.now());
  after_outcome(job, outcome, progress);
}

void JobWorker::after_outcome(const Job& job, const ImageRecord& outcome,
                              const ImageProgress& progress) {
  if (!progress.counted) {
    // Counted already, by an earlier delivery whose commit went through although it saw an
    // error (a connection lost during COMMIT). If that completed the job, its finalize may never
    // have been queued: queue it (deduplicated; finalizing twice is harmless) so the job cannot
    // stall until the next restart.
    if (progress.done + progress.failed >= progress.total) {
      const auto current = deps_.jobs.find_job(job.id);
      if (current && current->status == JobStatus::processing)
        deps_.queue.enqueue(Task::finalize_job(job));
    }
    return;
  }
  Job current = job;
  current.done = progress.done;
  current.failed = progress.failed;
  current.status = JobStatus::processing;
  ImageRecord shown = outcome;
  if (const auto stored = deps_.jobs.image(job.id, outcome.index)) shown = *stored;
  publish(deps_.events, ProgressEvent{current, shown, deps_.now()});
  if (progress.last) deps_.queue.enqueue(Task::finalize_job(job));
}

void JobWorker::write_archive(const Job& job, const std::vector<ImageRecord>& images) {
  auto sink = deps_.objects.open_writer(object_keys::archive(job.id));
  auto zip = deps_.archive_writer([&sink](std::span<const std::byte> bytes) {
    sink->write({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
  });
  const std::int64_t mtime = (job.finished_at ? *job.finished_at : deps_.now()) / 1000;
  if (job.options.manifest) {  // the job's option (default true)
    const std::string manifest = dump_json(job_manifest(job, images), 2);
    zip->begin_entry("manifest.json", static_cast<std::int64_t>(manifest.size()), mtime);
    zip->write({reinterpret_cast<const std::byte*>(manifest.data()), manifest.size()});
    zip->end_entry();
  }
  std::vector<std::uint8_t> buffer(256 * 1024);
  for (const ImageRecord& image : images) {
    if (image.status != ImageStatus::done) continue;
    auto reader = deps_.objects.open_reader(object_keys::output(job.id, image.index));
    if (!reader) continue;
    zip->begin_entry(image.output_name, static_cast<std::int64_t>(reader->info().size), mtime);
    std::uint64_t offset = 0;
    for (std::size_t n; (n = reader->read_at(offset, buffer)) > 0; offset += n) {
      zip->write({reinterpret_cast<const std::byte*>(buffer.data()), n});
    }
    zip->end_entry();
  }
  zip->finish();
  sink->commit();
}

void JobWorker::finalize(const Delivery& delivery) {
  finalize_once(delivery);
  // Whoever makes a job ready (the upload's end, the last image of a retry) queues a finalize,
  // which the queue skips while this one, with the same dedupe key, is still leased: a retry
  // clicked as soon as the job showed `partial`, before this ack, would leave its job processing
  // for ever. So once this one is acknowledged, look again.
  const auto job = deps_.jobs.find_job(delivery.task.job_id);
  if (job && ready_to_finalize(*job)) deps_.queue.enqueue(Task::finalize_job(*job));
}

void JobWorker::finalize_once(const Delivery& delivery) {
  auto job = deps_.jobs.find_job(delivery.task.job_id);
  if (job && job->status == JobStatus::canceled && !job->expires_at) {
    finalize_canceled(*job);
    deps_.queue.ack(delivery);
    return;
  }
  if (!job || !ready_to_finalize(*job)) {
    // Deleted, already finalized, still uploading, or a retry re-opened it meanwhile.
    deps_.queue.ack(delivery);
    return;
  }
  const UnixMillis now = deps_.now();
  if (delivery.dead_lettered) {
    // Finalizing failed every time (the archive cannot be written, say): the job must not stay
    // "processing" for ever. It ends failed, and the user is told why.
    job->status = JobStatus::failed;
    job->finished_at = now;
    job->expires_at =
        now + std::chrono::duration_cast<std::chrono::milliseconds>(settings_.result_ttl).count();
    deps_.jobs.finish_job(job->id, job->status, now, job->expires_at);
    if (deps_.job_ended) deps_.job_ended(*job, std::string(JobEndedEvent{*job}.type()));
    announce_end(*job, "JOB_FAILED", now,
                 {{"variant", "archive"},
                  {"error", cut_code_points(delivery.last_error, MAX_QUOTED_ERROR_CHARS)}});
    deps_.queue.ack(delivery);
    return;
  }
  const std::vector<ImageRecord> images = deps_.jobs.images(job->id);
  job->status = final_status(job->total, job->done, job->failed);
  job->finished_at = now;
  job->expires_at =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(settings_.result_ttl).count();
  if (job->done > 0) write_archive(*job, images);
  if (deps_.job_ended) deps_.job_ended(*job, std::string(JobEndedEvent{*job}.type()));
  deps_.jobs.finish_job(job->id, job->status, now, job->expires_at);

  announce_end(*job, completion_notice(*job), now);
  deps_.queue.ack(delivery);
}

void JobWorker::finalize_canceled(Job& job) {
  // Canceled by its owner: the images converted so far are kept, zipped, and expire as usual.
  const UnixMillis now = deps_.now();
  job.expires_at =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(settings_.result_ttl).count();
  if (job.done > 0) write_archive(job, deps_.jobs.images(job.id));
  deps_.jobs.finish_job(job.id, JobStatus::canceled, job.finished_at.value_or(now), job.expires_at);
  announce_end(job, "JOB_CANCELED", now);
}

void JobWorker::announce_end(const Job& job, const std::string& notice_type, UnixMillis now,
                             const MessageParams& extra) {
  // Every job notice takes the same parameters; each type's sentence uses those it needs.
  MessageParams params = {
      {"name", job.name}, {"done", job.done}, {"failed", job.failed}, {"total", job.total}};
  if (extra.is_object()) params.update(extra);
  const Notification n =
      add_notice(deps_.notifications, job.user_id, notice_type, job.id, params, now);
  publish(deps_.events, NotificationEvent{n});
  publish(deps_.events, JobEndedEvent{job});
  if (deps_.observer.job_finished) deps_.observer.job_finished(job.status);
}

void recover_unfinished_jobs(JobStore& jobs, TaskQueue& queue) {
  for (const Job& job : jobs.unfinished_jobs()) {
    std::vector<Task> tasks;
    for (const ImageRecord& image : jobs.images(job.id)) {
      if (image.status == ImageStatus::queued || image.status == ImageStatus::processing) {
        tasks.push_back(Task::convert_image(job, image.index));
      }
    }
    if (tasks.empty() && job.done + job.failed == job.total)
      tasks.push_back(Task::finalize_job(job));
    queue.enqueue_batch(tasks);
  }
}

}  // namespace imagesprint
