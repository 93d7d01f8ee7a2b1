#pragma once
// Per-user quotas: how much of the service one account may hold at once, so that one user can
// neither fill the disk nor keep everyone else's images waiting behind a queue of their own.
// Each refusal is a quota_exceeded Error (429) that names the limit.
#include <cstdint>
#include <optional>

#include "domain/error.hpp"
#include "ports/job_store.hpp"

namespace imagesprint {

struct UserQuotas {
  static constexpr std::int64_t DEFAULT_ACTIVE_JOBS = 10;
  static constexpr std::int64_t DEFAULT_QUEUED_IMAGES = 500;
  static constexpr std::int64_t DEFAULT_STORED_BYTES = 10ll * 1024 * 1024 * 1024;

  std::int64_t max_active_jobs = DEFAULT_ACTIVE_JOBS;      // jobs queued or processing at once
  std::int64_t max_queued_images = DEFAULT_QUEUED_IMAGES;  // images waiting to be converted
  std::int64_t max_stored_bytes = DEFAULT_STORED_BYTES;    // inputs + outputs kept (bytes)
};

/// Whether one more job of `new_images` images (0: not known yet, before the upload, counted as
/// one) and `new_bytes` bytes fits the quotas; the Error names the limit ("max_active_jobs" ...).
std::optional<Error> quota_refusal(const UserUsage& usage, const UserQuotas& quotas,
                                   std::int64_t new_images = 0, std::int64_t new_bytes = 0);

}  // namespace imagesprint
