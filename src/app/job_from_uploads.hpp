#pragma once
// Use case: a job from finished resumable uploads (POST /v1/jobs with a JSON body naming upload
// ids), for clients that sent their files with tus. The uploads' bytes stream through the same
// JobUpload as a multipart upload's files, so every check is the same (type sniffed from the
// bytes, header and pixel limits, files per job, quotas) and so is the all-or-nothing guarantee:
// on any refusal nothing of the job is kept and the uploads stay as they were, to be used again.
// The uploads are claimed for the whole creation (no append can run meanwhile, and no second
// job can take them); a created job marks them taken and deletes their parts.
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
};

/// Creates the job. Refusals about the uploads name "uploads" (an unknown, another user's,
/// unfinished, expired or already used id: `uploads[i]` in the message) or "watermark_upload";
/// the rest name what JobUpload names. A retry with the Idempotency-Key of the job that took the
/// uploads answers that job (created false).
Expected<CreatedJob> create_job_from_uploads(const UploadDeps& deps, const UploadLimits& limits,
                                             UploadStore& uploads, std::int64_t user_id,
                                             const JobFromUploadsRequest& request);

}  // namespace imagesprint
