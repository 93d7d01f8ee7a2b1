#pragma once
// Port: the in-app notifications of each user.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/job.hpp"

namespace imagesprint {

/// JOB_STARTED, JOB_DONE, JOB_PARTIAL, JOB_FAILED, RESULT_EXPIRED (and WEBHOOK_DISABLED later).
struct Notification {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string type;
  std::string job_id;   // empty if not about a job
  std::string message;  // human text
  bool read = false;
  UnixMillis created_at = 0;
};

struct NotificationPage {
  std::vector<Notification> items;  // newest first
  std::string next_cursor;          // empty when there is no further page
};

class NotificationStore {
 public:
  virtual ~NotificationStore() = default;
  virtual Notification add(std::int64_t user_id, const std::string& type, const std::string& job_id,
                           const std::string& message, UnixMillis now) = 0;
  /// Newest first; `cursor` is a page's next_cursor (empty or malformed: from the newest).
  virtual NotificationPage list(std::int64_t user_id, bool unread_only, const std::string& cursor,
                                int limit) = 0;
  /// false when the user has no such notification.
  virtual bool mark_read(std::int64_t user_id, std::int64_t id) = 0;
  virtual int mark_all_read(std::int64_t user_id) = 0;
  virtual int unread_count(std::int64_t user_id) = 0;
};

}  // namespace imagesprint
