#pragma once
// Use case: a job from resumable uploads (POST /v1/jobs with a JSON body naming upload ids), for
// clients that sent their files with tus. The uploads' bytes stream through the same JobUpload as
// a multipart upload's files, so every check is the same (type sniffed from the bytes, header and
// pixel limits, files per job, quotas) and so is the all-or-nothing guarantee: on any refusal
// nothing of the job is kept and the uploads stay as they were, to be used again. Each upload is
// claimed while the job takes it (no append can run meanwhile, and no second job can take it); a
// created job marks them taken and deletes their parts.
//
// Converting while the uploads arrive (`await_uploads`): the request may name uploads that are
// still arriving. They are taken in the job's order (the logo first, then the images), each as
// soon as it is complete, and JobUpload queues each image the moment it is taken, as it does for
// a multipart file; the job is answered once the last one is in. The caller drives the waiting
// (advance() until everything is taken, then finish()), so no thread is held while bytes are
// on their way. The wait is bounded: STALL_MILLIS without a byte of the upload waited for, or
// UploadLimits::max_await_millis in all (the HTTP request timeout), ends it with a 409 that says
// to make the job once the uploads are complete (the uploads are left as they were for that).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/job_upload.hpp"
#include "ports/upload_store.hpp"

namespace imagesprint {

struct JobFromUploadsRequest {
  std::vector<std::string> upload_ids;  // in the job's image order
  std::optional<std::string> options;   // the options as JSON text
  std::optional<std::string> preset;    // a preset's id or name
  std::optional<std::string> name;      // the job's name
  /// A finished upload holding the logo of an image watermark (the multipart watermark_image).
  std::optional<std::string> watermark_upload;
  std::string idempotency_key;
  /// The uploads may still be arriving: wait for each (see the header comment).
  bool await_uploads = false;
};

/// What advance() reached.
struct UploadsProgress {
  /// Every upload is in the job: finish() makes it.
  bool all_taken = false;
  /// The job an earlier request with the same Idempotency-Key made of these uploads: the answer.
  std::optional<CreatedJob> earlier;
};

class JobFromUploads {
 public:
  /// No bytes of the upload being waited for in this long: the client stopped sending.
  static constexpr UnixMillis STALL_MILLIS = 60 * 1000;

  JobFromUploads(const UploadDeps& deps, const UploadLimits& limits, UploadStore& uploads,
                 std::int64_t user_id, JobFromUploadsRequest request);
  /// Keeps nothing of the job unless finish() made it; releases the claims it holds.
  ~JobFromUploads();
  JobFromUploads(const JobFromUploads&) = delete;
  JobFromUploads& operator=(const JobFromUploads&) = delete;

  /// The first call checks the request; every call takes, in order, each upload that is complete,
  /// up to the first one still arriving. Refusals about the uploads name "uploads" (`uploads[i]`
  /// in the message: unknown, another user's, expired, already used, or unfinished without
  /// await_uploads) or "watermark_upload"; the rest name what JobUpload names.
  Expected<UploadsProgress> advance();

  /// Makes the job of what advance() took (all of it).
  Expected<CreatedJob> finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// The whole creation at once, for uploads that have all finished (no await_uploads): one
/// advance(), then finish().
Expected<CreatedJob> create_job_from_uploads(const UploadDeps& deps, const UploadLimits& limits,
                                             UploadStore& uploads, std::int64_t user_id,
                                             const JobFromUploadsRequest& request);

}  // namespace imagesprint
