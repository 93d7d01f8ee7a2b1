#pragma once
// AccountStore on SQL through SOCI (SQLite or MariaDB, see SqlDatabase).
#include "adapters/sql/sql_database.hpp"
#include "ports/account_store.hpp"

namespace imagesprint {

class SqlAccountStore final : public AccountStore {
 public:
  /// Applies the records migrations. `db` must outlive the store.
  explicit SqlAccountStore(SqlDatabase& db);

  std::optional<User> create_user(const std::string& email, const std::string& password_hash,
                                  UnixMillis now) override;
  std::optional<User> find_user_by_email(const std::string& email) override;
  std::optional<User> find_user(std::int64_t id) override;
  void create_session(const std::string& session_id, std::int64_t user_id,
                      const std::string& token_hash, UnixMillis expires_at) override;
  std::optional<StoredCredential> session(const std::string& session_id) override;
  void delete_session(const std::string& session_id) override;
  int delete_expired_sessions(UnixMillis now) override;
  ApiKey create_api_key(std::int64_t user_id, const std::string& name, const std::string& prefix,
                        const std::string& key_hash, UnixMillis now) override;
  std::vector<ApiKey> api_keys(std::int64_t user_id) override;
  bool delete_api_key(std::int64_t user_id, std::int64_t key_id) override;
  std::optional<StoredCredential> api_key(const std::string& prefix) override;
  void touch_api_key(std::int64_t key_id, UnixMillis now) override;

 private:
  std::optional<User> find_user_where(const std::string& where, const std::string& text,
                                      std::int64_t number);
  SqlDatabase& db_;
};

}  // namespace imagesprint
