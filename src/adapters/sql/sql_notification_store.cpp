#include "adapters/sql/sql_notification_store.hpp"

#include "adapters/sql/records_migrations.hpp"
#include "adapters/sql/row_values.hpp"
#include "ports/page_cursor.hpp"

namespace imagesprint {

using soci::into;
using soci::use;

SqlNotificationStore::SqlNotificationStore(SqlDatabase& db) : db_(db) {
  db_.migrate("records", records_migrations());
}

Notification SqlNotificationStore::add(std::int64_t user_id, const std::string& type,
                                       const std::string& job_id, const std::string& message,
                                       UnixMillis now, const std::string& params) {
  return db_.write("notification store: add", [&](soci::session& s) {
    s << "INSERT INTO notifications (user_id, type, job_id, message, created_at, params) VALUES "
         "(:u, :t, :j, :m, :c, :p)",
        use(user_id), use(type), use(job_id), use(message), use(now), use(params);
    return Notification{
        db_.dialect().last_insert_id(s), user_id, type, job_id, message, false, now, params};
  });
}

NotificationPage SqlNotificationStore::list(std::int64_t user_id, bool unread_only,
                                            const std::string& cursor, int limit) {
  const long long before = id_cursor(cursor);
  const long long unread = unread_only ? 1 : 0;
  return db_.read("notification store: list", [&](soci::session& sql) {
    soci::rowset<soci::row> rows =
        (sql.prepare
             << "SELECT id, user_id, type, job_id, message, is_read, created_at, params FROM "
                "notifications "
                "WHERE user_id = :u AND (:b = 0 OR id < :b) AND (:r = 0 OR is_read = 0) "
                "ORDER BY id DESC" +
                    db_.dialect().limit(limit + 1),
         use(user_id, "u"), use(before, "b"), use(unread, "r"));
    NotificationPage page;
    for (const auto& r : rows) {
      page.items.push_back(Notification{row_int(r, 0), row_int(r, 1), row_text(r, 2),
                                        row_text(r, 3), row_text(r, 4), row_int(r, 5) != 0,
                                        row_int(r, 6), row_text(r, 7)});
    }
    if (static_cast<int>(page.items.size()) > limit) {
      page.items.resize(static_cast<std::size_t>(limit));
      page.next_cursor = std::to_string(page.items.back().id);
    }
    return page;
  });
}

bool SqlNotificationStore::mark_read(std::int64_t user_id, std::int64_t id) {
  return db_.write("notification store: mark_read", [&](soci::session& sql) {
    int found = 0;
    sql << "SELECT COUNT(*) FROM notifications WHERE id = :i AND user_id = :u", into(found),
        use(id), use(user_id);
    if (found == 0) return false;
    sql << "UPDATE notifications SET is_read = 1 WHERE id = :i AND user_id = :u", use(id),
        use(user_id);
    return true;
  });
}

int SqlNotificationStore::mark_all_read(std::int64_t user_id) {
  return db_.write("notification store: mark_all_read", [&](soci::session& sql) {
    soci::statement st =
        (sql.prepare << "UPDATE notifications SET is_read = 1 WHERE user_id = :u AND is_read = 0",
         use(user_id));
    st.execute(true);
    return static_cast<int>(st.get_affected_rows());
  });
}

int SqlNotificationStore::unread_count(std::int64_t user_id) {
  return db_.read("notification store: unread_count", [&](soci::session& sql) {
    int n = 0;
    sql << "SELECT COUNT(*) FROM notifications WHERE user_id = :u AND is_read = 0", into(n),
        use(user_id);
    return n;
  });
}

}  // namespace imagesprint
