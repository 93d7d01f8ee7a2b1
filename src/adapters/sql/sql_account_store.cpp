#include "adapters/sql/sql_account_store.hpp"

#include "adapters/sql/records_migrations.hpp"
#include "adapters/sql/row_values.hpp"

namespace imagesprint {

using soci::into;
using soci::use;

SqlAccountStore::SqlAccountStore(SqlDatabase& db) : db_(db) {
  db_.migrate("records", records_migrations());
}

std::optional<User> SqlAccountStore::create_user(const std::string& email, const std::string& hash,
                                                 UnixMillis now) {
  const std::string lock(db_.dialect().lock_rows());
  return db_.write("account store: create_user", [&](soci::session& s) -> std::optional<User> {
    // Locked (MariaDB): two sign-ups with one email at once cannot both find it free; one waits
    // for the other, or they deadlock and the loser runs again and finds it taken.
    int taken = 0;
    s << "SELECT COUNT(*) FROM users WHERE email = :e" + lock, into(taken), use(email);
    if (taken > 0) return std::nullopt;
    s << "INSERT INTO users (email, password_hash, created_at) VALUES (:e, :h, :c)", use(email),
        use(hash), use(now);
    return User{db_.dialect().last_insert_id(s), email, hash, now};
  });
}

std::optional<User> SqlAccountStore::find_user_where(const std::string& where,
                                                     const std::string& text, std::int64_t number) {
  return db_.read("account store: find_user", [&](soci::session& sql) -> std::optional<User> {
    const long long n = number;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT id, email, password_hash, created_at FROM users WHERE " + where,
         use(text, "t"), use(n, "n"));
    for (const auto& r : rows)
      return User{row_int(r, 0), row_text(r, 1), row_text(r, 2), row_int(r, 3)};
    return std::nullopt;
  });
}

std::optional<User> SqlAccountStore::find_user_by_email(const std::string& email) {
  return find_user_where("email = :t AND :n = 0", email, 0);
}

std::optional<User> SqlAccountStore::find_user(std::int64_t id) {
  return find_user_where("id = :n AND :t = ''", "", id);
}

void SqlAccountStore::create_session(const std::string& id, std::int64_t user_id,
                                     const std::string& hash, UnixMillis expires_at) {
  db_.write("account store: create_session", [&](soci::session& sql) {
    sql << "INSERT INTO sessions (id, user_id, token_hash, expires_at) VALUES (:i, :u, :h, :e)",
        use(id), use(user_id), use(hash), use(expires_at);
  });
}

std::optional<StoredCredential> SqlAccountStore::session(const std::string& id) {
  return db_.read("account store: session",
                  [&](soci::session& sql) -> std::optional<StoredCredential> {
                    soci::rowset<soci::row> rows =
                        (sql.prepare << "SELECT user_id, token_hash, expires_at FROM sessions "
                                        "WHERE id = :i",
                         use(id));
                    for (const auto& r : rows)
                      return StoredCredential{row_int(r, 0), row_text(r, 1), 0, row_int(r, 2)};
                    return std::nullopt;
                  });
}

void SqlAccountStore::delete_session(const std::string& id) {
  db_.write("account store: delete_session",
            [&](soci::session& sql) { sql << "DELETE FROM sessions WHERE id = :i", use(id); });
}

int SqlAccountStore::delete_expired_sessions(UnixMillis now) {
  return db_.write("account store: delete_expired_sessions", [&](soci::session& sql) {
    soci::statement st = (sql.prepare << "DELETE FROM sessions WHERE expires_at <= :n", use(now));
    st.execute(true);
    return static_cast<int>(st.get_affected_rows());
  });
}

ApiKey SqlAccountStore::create_api_key(std::int64_t user_id, const std::string& name,
                                       const std::string& prefix, const std::string& hash,
                                       UnixMillis now) {
  return db_.write("account store: create_api_key", [&](soci::session& s) {
    s << "INSERT INTO api_keys (user_id, name, prefix, key_hash, created_at) VALUES (:u, :n, :p, "
         ":h, :c)",
        use(user_id), use(name), use(prefix), use(hash), use(now);
    return ApiKey{db_.dialect().last_insert_id(s), user_id, name, prefix, now, std::nullopt};
  });
}

std::vector<ApiKey> SqlAccountStore::api_keys(std::int64_t user_id) {
  return db_.read("account store: api_keys", [&](soci::session& sql) {
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT id, user_id, name, prefix, created_at, "
                                                   "last_used_at FROM api_keys WHERE user_id = :u "
                                                   "ORDER BY id",
                                    use(user_id));
    std::vector<ApiKey> out;
    for (const auto& r : rows) {
      out.push_back(ApiKey{row_int(r, 0), row_int(r, 1), row_text(r, 2), row_text(r, 3),
                           row_int(r, 4), row_optional_int(r, 5)});
    }
    return out;
  });
}

bool SqlAccountStore::delete_api_key(std::int64_t user_id, std::int64_t key_id) {
  return db_.write("account store: delete_api_key", [&](soci::session& sql) {
    soci::statement st = (sql.prepare << "DELETE FROM api_keys WHERE id = :k AND user_id = :u",
                          use(key_id), use(user_id));
    st.execute(true);
    return st.get_affected_rows() > 0;
  });
}

std::optional<StoredCredential> SqlAccountStore::api_key(const std::string& prefix) {
  return db_.read(
      "account store: api_key", [&](soci::session& sql) -> std::optional<StoredCredential> {
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT user_id, key_hash, id FROM api_keys WHERE "
                            "prefix = :p",
             use(prefix));
        for (const auto& r : rows)
          return StoredCredential{row_int(r, 0), row_text(r, 1), row_int(r, 2), std::nullopt};
        return std::nullopt;
      });
}

void SqlAccountStore::touch_api_key(std::int64_t key_id, UnixMillis now) {
  db_.write("account store: touch_api_key", [&](soci::session& sql) {
    sql << "UPDATE api_keys SET last_used_at = :n WHERE id = :k", use(now), use(key_id);
  });
}

}  // namespace imagesprint
