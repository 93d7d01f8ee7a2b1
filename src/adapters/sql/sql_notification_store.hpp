#pragma once
// NotificationStore on SQL through SOCI (SQLite or MariaDB, see SqlDatabase).
#include "adapters/sql/sql_database.hpp"
#include "ports/notification_store.hpp"

namespace imagesprint {

class SqlNotificationStore final : public NotificationStore {
 public:
  /// Applies the records migrations. `db` must outlive the store.
  explicit SqlNotificationStore(SqlDatabase& db);

  Notification add(std::int64_t user_id, const std::string& type, const std::string& job_id,
                   const std::string& message, UnixMillis now, const std::string& params) override;
  NotificationPage list(std::int64_t user_id, bool unread_only, const std::string& cursor,
                        int limit) override;
  bool mark_read(std::int64_t user_id, std::int64_t id) override;
  int mark_all_read(std::int64_t user_id) override;
  int unread_count(std::int64_t user_id) override;

 private:
  SqlDatabase& db_;
};

}  // namespace imagesprint
