#include "app/quotas.hpp"

#include <algorithm>
#include <string>

namespace imagesprint {
namespace {

Error refused(const std::string& limit, const std::string& message, MessageParams params) {
  // Retry-After: a quota frees up as the user's work finishes or expires, not at a set time;
  // a minute is a polite first wait.
  return Error{ErrorCode::quota_exceeded,       limit + ": " + message, limit, {}, true, 60,
               "error.quota_exceeded." + limit, std::move(params)};
}

}  // namespace

std::optional<Error> quota_refusal(const UserUsage& usage, const UserQuotas& quotas,
                                   std::int64_t new_images, std::int64_t new_bytes) {
  if (usage.active_jobs + 1 > quotas.max_active_jobs) {
    return refused("max_active_jobs",
                   "at most " + std::to_string(quotas.max_active_jobs) +
                       " jobs may be queued or running at once",
                   {{"max", quotas.max_active_jobs}});
  }
  if (usage.queued_images + std::max<std::int64_t>(new_images, 1) > quotas.max_queued_images) {
    return refused("max_queued_images",
                   "at most " + std::to_string(quotas.max_queued_images) +
                       " images may wait for conversion at once",
                   {{"max", quotas.max_queued_images}});
  }
  if (usage.stored_bytes + new_bytes > quotas.max_stored_bytes) {
    return refused("max_stored_bytes",
                   "the account's jobs already hold " + std::to_string(usage.stored_bytes) +
                       " bytes; at most " + std::to_string(quotas.max_stored_bytes) +
                       " may be kept (delete older jobs)",
                   {{"used", usage.stored_bytes}, {"max", quotas.max_stored_bytes}});
  }
  return std::nullopt;
}

}  // namespace imagesprint
