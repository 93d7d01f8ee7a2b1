#pragma once
// Use case: create a job from an upload that arrives as a stream of parts (multipart/form-data).
// Each file goes to the ObjectStore as it arrives; its type is sniffed and its header read before
// it is accepted; a file that is not an accepted image or is over a limit fails the whole upload
// with an error naming it, and nothing of the upload is kept. finish() writes the records and
// queues one task per image.
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
  JobUpload(UploadDeps deps, UploadLimits limits, std::int64_t user_id);
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

  /// The "options" part (JSON text); errors name the option.
  Expected<bool> set_options(const std::string& json_text);
  /// The "preset" part: the id or name of one of the user's presets, whose options the job
  /// takes. With an "options" part too, whichever comes second is refused naming "preset".
  Expected<bool> set_preset(const std::string& reference);
  /// The "name" part: UTF-8 text (invalid bytes are refused naming "name"); cut to
  /// MAX_NAME_CODE_POINTS.
  Expected<bool> set_name(const std::string& name);

  /// Validates what arrived, writes the job and image records and queues the work.
  Expected<CreatedJob> finish(const std::string& idempotency_key);

  const std::string& job_id() const { return job_id_; }

 private:
  struct Part;
  Error file_error(ErrorCode code, const std::string& message) const;
  static Error both_options_and_preset();
  void discard();
  /// Records the upload in the JobStore (once, before its first object is written).
  void record_upload();

  UploadDeps deps_;
  UploadLimits limits_;
  std::int64_t user_id_;
  std::string job_id_;
  std::string name_;
  std::optional<ConversionOptions> options_;
  bool options_given_ = false;  // an "options" part arrived
  bool preset_given_ = false;   // a "preset" part arrived
  std::vector<ImageRecord> images_;
  std::vector<InputFormat> formats_;             // sniffed format per image
  std::vector<std::optional<InputInfo>> infos_;  // header per image, when it could be read
  std::int64_t bytes_in_ = 0;
  bool has_watermark_ = false;
  std::unique_ptr<Part> part_;  // the file being received
  bool finished_ = false;
  bool upload_recorded_ = false;  // JobStore::begin_upload done (before the first object)
};

}  // namespace imagesprint
