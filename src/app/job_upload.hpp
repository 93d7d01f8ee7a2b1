#pragma once
// Use case: create a job from an upload that arrives as a stream of parts (multipart/form-data).
// Each file goes to the ObjectStore as it arrives; its type is sniffed and its header read before
// it is accepted; a file that is not an accepted image or is over a limit fails the whole upload
// with an error naming it, and nothing of the upload is kept.
//
// Converting while the upload arrives: once the options are settled (an options or preset part
// came) and the logo an image watermark needs is stored, the job is recorded as `uploading` and
// each accepted file is queued for conversion at once, while the next ones still arrive. Such a
// job is the service's own until finish() hands it to its owner (JobStore::complete_upload). If
// the upload fails after that (a bad 40th file, a broken connection, a quota), the job is
// canceled and its records and every object it wrote are removed, outputs included: the client
// sees the same error as if nothing had started. Without options before the files, the job is
// recorded and queued by finish(), all at once.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "app/presets.hpp"
#include "app/quotas.hpp"
#include "domain/conversion_options.hpp"
#include "domain/expected.hpp"
#include "imaging/engine.hpp"
#include "ports/event_bus.hpp"
#include "ports/job_store.hpp"
#include "ports/notification_store.hpp"
#include "ports/object_store.hpp"
#include "ports/secrets.hpp"
#include "ports/task_queue.hpp"

namespace imagesprint {

struct UploadLimits {
  static constexpr int DEFAULT_MAX_FILES = 50;

  int max_files = DEFAULT_MAX_FILES;
  std::int64_t max_file_bytes = static_cast<std::int64_t>(EngineLimits::DEFAULT_MAX_INPUT_BYTES);
  std::int64_t max_watermark_bytes = 5ll * 1024 * 1024;
  EngineLimits engine;  // pixel limits, checked from each header (and from the options)
  UserQuotas quotas;    // what one account may hold at once
  /// The longest a job made of resumable uploads waits for them to arrive (await_uploads): the
  /// HTTP request timeout, the bound a multipart body has too, and under which the janitor never
  /// takes a job that is still being made for abandoned.
  std::int64_t max_await_millis = 300'000;
  /// Longest job name and file name kept, in code points (longer ones are cut, never inside a
  /// character).
  static constexpr std::size_t MAX_NAME_CODE_POINTS = 255;
};

struct UploadDeps {
  JobStore& jobs;
  ObjectStore& objects;
  TaskQueue& queue;
  EventBus& events;
  NotificationStore& notifications;
  const Secrets& secrets;
  Clock now;
  /// Resolves a `preset` part; nullptr: such a part is refused.
  Presets* presets = nullptr;
};

/// What finish() answers: the job, and whether it was created now (false: an earlier request
/// with the same Idempotency-Key created it).
struct CreatedJob {
  Job job;
  bool created = true;
};

class JobUpload {
 public:
  /// `idempotency_key`: a retried request with the same key answers the job of the first one.
  JobUpload(UploadDeps deps, UploadLimits limits, std::int64_t user_id,
            std::string idempotency_key = "");
  /// Deletes everything written unless finish() succeeded.
  ~JobUpload();
  JobUpload(const JobUpload&) = delete;
  JobUpload& operator=(const JobUpload&) = delete;

  // A file part: begin, any number of writes, end. Errors name the file (field "files").
  Expected<bool> begin_file(const std::string& file_name);
  Expected<bool> write(std::span<const std::uint8_t> bytes);
  Expected<bool> end_file();

  // The logo of an image watermark, streamed the same way (field "watermark_image").
  Expected<bool> begin_watermark();

  /// The "options" part (JSON text); errors name the option. A second one is refused: images may
  /// be converting with the first already.
  Expected<bool> set_options(const std::string& json_text);
  /// The "preset" part: the id or name of one of the user's presets, whose options the job
  /// takes. With an "options" part too, whichever comes second is refused naming "preset".
  Expected<bool> set_preset(const std::string& reference);
  /// The "name" part: UTF-8 text (invalid bytes, or a second name, are refused naming "name"); cut
  /// to MAX_NAME_CODE_POINTS.
  Expected<bool> set_name(const std::string& name);

  /// Validates what arrived, writes (or completes) the job and image records and queues the work
  /// not queued yet.
  Expected<CreatedJob> finish();

  const std::string& job_id() const { return job_id_; }
  /// Whether the job's images are converting already (the upload has not finished).
  bool converting() const { return converting_; }

 private:
  struct Part;
  Error file_error(ErrorCode code, const std::string& message) const;
  static Error both_options_and_preset();
  /// A part that a request may give once ("options", "preset", "name", "watermark_image").
  static Error given_twice(const std::string& field);
  void discard();
  /// Records the upload in the JobStore (once, before its first object is written).
  void record_upload();
  /// The refusals that need the options: a page the file lacks, an output too large.
  std::optional<Error> image_refusal(std::size_t index, const ConversionOptions& options) const;
  /// The quotas with `images` and `bytes` of this upload added to what the user holds.
  std::optional<Error> quota_check(std::int64_t images, std::int64_t bytes);
  std::optional<Error> idempotency_key_refusal() const;
  /// What this request asks for, as a digest (Job::request_digest): a retry with the same
  /// Idempotency-Key has to ask for the same, or it is refused. Empty without a key.
  std::string request_digest() const;
  /// Names every image's output (unique in the job, in upload order).
  void name_outputs(const ConversionOptions& options);
  Job job_record(JobStatus status) const;
  /// Starts converting once the options are settled and the logo (if needed) is stored: records
  /// the job as uploading with the images so far and queues them.
  Expected<bool> start_converting();
  /// Records and queues an image accepted while the job is converting.
  Expected<bool> convert_now(std::size_t index);
  /// finish() of a converting job: hands it to its owner, and queues its finalize if every image
  /// converted before the upload ended.
  Expected<CreatedJob> complete_converting();
  /// The answer to a retried request (same Idempotency-Key) whose first try made
  /// `earlier_job_id`: that job, and nothing of this request kept.
  Expected<CreatedJob> answer_earlier(const std::string& earlier_job_id);
  /// The JOB_STARTED notice and its event.
  void announce_start(const Job& job);

  UploadDeps deps_;
  UploadLimits limits_;
  std::int64_t user_id_;
  std::string idempotency_key_;
  std::string job_id_;
  std::string name_;
  std::optional<ConversionOptions> options_;
  bool options_given_ = false;  // an "options" part arrived
  bool preset_given_ = false;   // a "preset" part arrived
  std::string preset_;          // its text, as given
  bool name_given_ = false;     // a "name" part arrived
  std::vector<ImageRecord> images_;
  std::vector<InputFormat> formats_;             // sniffed format per image
  std::vector<std::optional<InputInfo>> infos_;  // header per image, when it could be read
  std::int64_t bytes_in_ = 0;
  bool has_watermark_ = false;
  std::int64_t watermark_bytes_ = 0;
  std::unique_ptr<Part> part_;  // the file being received
  bool finished_ = false;
  bool upload_recorded_ = false;    // JobStore::begin_upload done (before the first object)
  bool converting_ = false;         // the job is recorded `uploading` and its images queued
  std::optional<UserUsage> usage_;  // what the user held when converting began
};

}  // namespace imagesprint
