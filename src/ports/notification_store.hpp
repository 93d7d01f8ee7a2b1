#pragma once
// Port: the in-app notifications of each user.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/job.hpp"

namespace imagesprint {

/// JOB_STARTED, JOB_DONE, JOB_PARTIAL, JOB_FAILED, JOB_CANCELED, RESULT_EXPIRING,
/// RESULT_EXPIRED, WEBHOOK_DISABLED. The type is the message's catalogue key
/// ("notification.<type>", domain/messages.hpp) and `params` its parameters, so each reader gets
/// it in their own language; `message` is the English text, kept for records written before the
/// parameters were (their `params` is empty) and for readers without a catalogue.
struct Notification {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string type;
  std::string job_id;   // empty if not about a job
  std::string message;  // English text
  bool read = false;
  UnixMillis created_at = 0;
  std::string params;  // the message's parameters as a JSON object's text; empty in old records
};

struct NotificationPage {
  std::vector<Notification> items;  // newest first
  std::string next_cursor;          // empty when there is no further page
};

class NotificationStore {
 public:
  virtual ~NotificationStore() = default;
  /// `params`: the JSON text of the message's parameters (see Notification), stored as given.
  virtual Notification add(std::int64_t user_id, const std::string& type, const std::string& job_id,
                           const std::string& message, UnixMillis now,
                           const std::string& params) = 0;
  /// Newest first; `cursor` is a page's next_cursor (empty: from the newest; one that no page
  /// gave: InvalidCursor, ports/page_cursor.hpp).
  virtual NotificationPage list(std::int64_t user_id, bool unread_only, const std::string& cursor,
                                int limit) = 0;
  /// false when the user has no such notification.
  virtual bool mark_read(std::int64_t user_id, std::int64_t id) = 0;
  virtual int mark_all_read(std::int64_t user_id) = 0;
  virtual int unread_count(std::int64_t user_id) = 0;
};

}  // namespace imagesprint
