#pragma once
// Jobs and their images: plain records and the rules of their states. No I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/conversion_options.hpp"

namespace imagesprint {

/// queued -> processing -> done | partial (some images failed) | failed (all failed);
/// any unfinished state -> canceled; a finished one -> expired once its results are deleted.
// `uploading`: the job's files are still arriving (its images convert meanwhile); only the
// service sees such a job, its owner sees it from the end of the upload on.
enum class JobStatus { uploading, queued, processing, done, partial, failed, canceled, expired };

enum class ImageStatus { queued, processing, done, failed, canceled };

std::string_view to_string(JobStatus status);
std::string_view to_string(ImageStatus status);
std::optional<JobStatus> parse_job_status(std::string_view name);
std::optional<ImageStatus> parse_image_status(std::string_view name);

/// Whether no more work will happen for a job in this state.
bool is_finished(JobStatus status);

/// The state a job ends in once every image is done or failed.
JobStatus final_status(int total, int done, int failed);

using UnixMillis = std::int64_t;

struct Job {
  std::string id;  // random, URL-safe
  std::int64_t user_id = 0;
  std::string name;  // the user's label, or a default from the first file name
  JobStatus status = JobStatus::queued;
  ConversionOptions options;
  int total = 0;               // images in the job
  int done = 0;                // converted
  int failed = 0;              // failed for good
  std::int64_t bytes_in = 0;   // sum of inputs
  std::int64_t bytes_out = 0;  // sum of outputs
  bool has_watermark_image = false;
  std::string idempotency_key;  // empty if none
  /// What the request that claimed idempotency_key asked for (a digest; JobUpload): the same
  /// key with a different request is refused. Empty for jobs from before it was recorded.
  std::string request_digest;
  UnixMillis created_at = 0;
  std::optional<UnixMillis> started_at;
  std::optional<UnixMillis> finished_at;
  std::optional<UnixMillis> expires_at;
  // An expired job whose uploaded files (and logo) are still kept: it can be converted again
  // until they go too (the `keep_sources` setting).
  bool sources_kept = false;
};

struct ImageRecord {
  std::string job_id;
  int index = 0;            // 0-based position in the upload
  std::string source_name;  // the uploaded file name, as given (UTF-8)
  std::string output_name;  // unique sanitised name in the ZIP, set when converted
  ImageStatus status = ImageStatus::queued;
  std::string error_code;     // ErrorCode name when failed
  std::string error_message;  // public reason when failed
  std::int64_t bytes_in = 0;
  std::int64_t bytes_out = 0;
  int input_width = 0;
  int input_height = 0;
  int input_pages = 0;           // pages, images or frames in the input; 0 until converted
  std::optional<int> page_used;  // the page converted; none when every frame was kept
  int width = 0;                 // output size
  int height = 0;
  std::string format;  // output format name
  std::optional<int> quality_used;
  std::string blurhash;  // placeholder for the output, from the manifest
  int attempts = 0;      // deliveries of its task so far
  std::optional<UnixMillis> finished_at;
};

}  // namespace imagesprint
