#pragma once
// Use case: convert a job's uploads again, with the options it kept, as a new job: for a
// finished job, and for an expired one whose uploaded files are still kept (keep_sources).
// The files go through the same checks as an upload (type, header, limits, quotas), streamed
// from the store, so nothing is trusted because it was accepted once.
#include <cstdint>
#include <string>

#include "app/job_upload.hpp"

namespace imagesprint {

/// The new job (created, queued). not_found when the user has no such job; conflict while it is
/// still queued or running; "error.sources_gone" (ErrorCode::not_found, field "sources") when its
/// uploads are no longer kept; otherwise what an upload of the same files would answer.
Expected<CreatedJob> convert_again(const UploadDeps& deps, const UploadLimits& limits,
                                   std::int64_t user_id, const std::string& job_id);

/// The message key convert_again's error has when the uploads are gone.
inline constexpr const char* SOURCES_GONE = "error.sources_gone";

}  // namespace imagesprint
