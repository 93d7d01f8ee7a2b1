#pragma once
// Port: the records of jobs and their images (SQLite embedded, MySQL/MariaDB distributed).
// Every read a user triggers is scoped by user id: another user's job is simply not found.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/job.hpp"

namespace imagesprint {

struct JobPage {
  std::vector<Job> jobs;    // newest first
  std::string next_cursor;  // empty when there is no further page
};

/// What recording one image's outcome changed, decided atomically with the write.
struct ImageProgress {
  bool counted = false;  // false: this image was already counted (a redelivered task)
  bool last = false;     // true exactly once per job: this outcome completed the job
  int done = 0;          // the job's counts after the write
  int failed = 0;
  int total = 0;
};

/// What ending an upload did (JobStore::complete_upload).
struct UploadCompletion {
  bool completed = false;      // false: the idempotency key belongs to earlier_job_id's job
  std::string earlier_job_id;  // when not completed
  ImageProgress progress;      // when completed: the counts; `last` as complete_upload says
};

/// What one user has in the service now, for the per-user quotas.
struct UserUsage {
  std::int64_t active_jobs = 0;    // queued or processing (not uploading)
  std::int64_t queued_images = 0;  // images of those jobs not converted yet
  std::int64_t stored_bytes = 0;   // inputs and outputs of jobs not expired or deleted
};

class JobStore {
 public:
  virtual ~JobStore() = default;

  /// Inserts a job and its images in one transaction. With an idempotency key already used by
  /// the same user, nothing is inserted and the existing job's id is returned with false (the
  /// caller compares that job's request_digest with its own). The job's request_digest is kept
  /// with it.
  /// The job's upload record (begin_upload) is removed in the same transaction; if the janitor
  /// has abandoned it meanwhile (abandon_uploads), nothing is inserted and StorageError is thrown:
  /// its objects are being removed.
  ///
  /// A job created with status `uploading` is one whose files are still arriving while its
  /// first images already convert: it keeps its upload record, grows by add_image(), is seen
  /// only by the service (find_job(user, ...), list_jobs and usage skip it) and no recorded
  /// image completes it, until complete_upload(). It is created without an idempotency key (a
  /// retry of an upload that died must not wait for the janitor): complete_upload() claims it.
  virtual std::pair<std::string, bool> create_job(const Job& job,
                                                  const std::vector<ImageRecord>& images) = 0;
  /// Appends an image to an `uploading` job: its total and bytes_in grow by it, in one
  /// transaction. Throws StorageError when the job is not uploading (its upload was abandoned).
  virtual void add_image(const ImageRecord& image) = 0;
  /// Ends the upload of an `uploading` job: claims `idempotency_key` (if not empty) with the
  /// `request_digest` of the request it came with, sets its name, forgets its upload record and
  /// makes it its owner's (queued, or processing once an image started), in one transaction.
  /// progress.last is true when every image was recorded already: the caller queues the finalize
  /// (record_image reports `last` only for a job no longer uploading, so exactly one of the two
  /// does). When another job of the user holds the key, nothing changes and that job's id is
  /// returned (not completed): the caller removes this one. Throws StorageError when the janitor
  /// abandoned the upload meanwhile, or the job is not uploading.
  virtual UploadCompletion complete_upload(const std::string& job_id, const std::string& name,
                                           const std::string& idempotency_key,
                                           const std::string& request_digest) = 0;

  // Uploads in progress. An upload writes its objects under the job's prefix before the job's
  // record exists; if its process dies, nothing else would know those objects. So an upload is
  // recorded before its first object, and forgotten when it becomes a job (create_job) or when
  // it failed and removed its objects (end_upload). What stays recorded past the longest an
  // upload can take was abandoned: the janitor removes its objects (app/abandoned_uploads).

  /// Records that the upload of job `job_id` is about to write objects. Throws StorageError.
  virtual void begin_upload(const std::string& job_id, std::int64_t user_id, UnixMillis now) = 0;
  /// Forgets the upload (its objects are gone); nothing when it is not recorded.
  virtual void end_upload(const std::string& job_id) = 0;
  /// The uploads begun before `before` that never became a job, oldest first, at most `limit`,
  /// each marked abandoned in the same transaction (create_job then refuses it). Uploads marked
  /// by an earlier call and not ended yet come back too, so a janitor that died halfway is
  /// taken over.
  virtual std::vector<std::string> abandon_uploads(UnixMillis before, int limit) = 0;

  virtual std::optional<Job> find_job(std::int64_t user_id, const std::string& job_id) = 0;
  /// Unscoped: for the worker and the janitor only.
  virtual std::optional<Job> find_job(const std::string& job_id) = 0;

  /// Newest first; `cursor` is a page's next_cursor (empty: from the newest; one that no page
  /// gave: InvalidCursor, ports/page_cursor.hpp); `status` filters when set.
  virtual JobPage list_jobs(std::int64_t user_id, std::optional<JobStatus> status,
                            const std::string& cursor, int limit) = 0;

  virtual std::vector<ImageRecord> images(const std::string& job_id) = 0;
  virtual std::optional<ImageRecord> image(const std::string& job_id, int index) = 0;

  /// The worker took the image: status processing, attempts = `attempts`; the job becomes
  /// processing (started_at set once). Ignored for an image already done or failed.
  virtual void start_image(const std::string& job_id, int index, int attempts, UnixMillis now) = 0;

  /// Stores a done/failed outcome and updates the job's counters and byte sums, in one
  /// transaction that first checks the image was not counted yet.
  virtual ImageProgress record_image(const ImageRecord& outcome, UnixMillis now) = 0;

  /// Sets the final state and timestamps (finished_at, expires_at) of a job.
  virtual void finish_job(const std::string& job_id, JobStatus status, UnixMillis finished_at,
                          std::optional<UnixMillis> expires_at) = 0;

  /// Puts the failed images back to queued and the counters back; returns their indexes.
  virtual std::vector<int> reset_failed_images(const std::string& job_id) = 0;

  /// Marks a job canceled (its unfinished images too); false if it had already finished.
  virtual bool cancel_job(const std::string& job_id, UnixMillis now) = 0;

  virtual void delete_job(const std::string& job_id) = 0;

  /// Finished jobs whose expires_at has passed and that are not expired yet.
  virtual std::vector<Job> jobs_to_expire(UnixMillis now, int limit) = 0;

  /// Finished jobs (the states jobs_to_expire takes) whose expires_at is after `now` and at or
  /// before `horizon`, and whose expiry notice is not claimed yet; soonest expiry first.
  virtual std::vector<Job> jobs_to_warn_of_expiry(UnixMillis now, UnixMillis horizon,
                                                  int limit) = 0;

  /// Claims a job's "results expire soon" notice: true for exactly one call per job, ever (a
  /// conditional update, so janitors racing on one database never both send it).
  virtual bool claim_expiry_warning(const std::string& job_id) = 0;

  /// Expired jobs whose uploaded files are still kept (Job::sources_kept) and whose expires_at
  /// is at or before `expired_before`; oldest first.
  virtual std::vector<Job> jobs_with_kept_sources(UnixMillis expired_before, int limit) = 0;

  /// Records whether a job's uploaded files are kept past its expiry.
  virtual void set_sources_kept(const std::string& job_id, bool kept) = 0;

  /// Jobs still queued or processing, all users (start-up recovery).
  virtual std::vector<Job> unfinished_jobs() = 0;

  /// Sets the status of a job (and, for expired/canceled, nothing else).
  virtual void set_status(const std::string& job_id, JobStatus status) = 0;

  /// The user's active jobs, their unconverted images and the bytes the user's jobs hold.
  virtual UserUsage usage(std::int64_t user_id) = 0;

  /// Jobs by outcome, for /metrics.
  virtual std::vector<std::pair<JobStatus, std::int64_t>> count_by_status() = 0;
};

}  // namespace imagesprint
