#pragma once
// NotificationStore on SQLite through SOCI.
#include "adapters/sqlite/database_pool.hpp"
#include "ports/notification_store.hpp"

namespace imagesprint {

class SqliteNotificationStore final : public NotificationStore {
 public:
  explicit SqliteNotificationStore(DatabasePool& db);

  Notification add(std::int64_t user_id, const std::string& type, const std::string& job_id,
                   const std::string& message, UnixMillis now) override;
  NotificationPage list(std::int64_t user_id, bool unread_only, const std::string& cursor,
                        int limit) override;
  bool mark_read(std::int64_t user_id, std::int64_t id) override;
  int mark_all_read(std::int64_t user_id) override;
  int unread_count(std::int64_t user_id) override;

 private:
  DatabasePool& db_;
};

}  // namespace imagesprint
