#pragma once
// Port: users, login sessions and API keys. Secrets are stored only as hashes (argon2id for
// passwords, SHA-256 for random tokens, which have full entropy).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/job.hpp"

namespace imagesprint {

struct User {
  std::int64_t id = 0;
  std::string email;          // lower-cased
  std::string password_hash;  // argon2id PHC string
  UnixMillis created_at = 0;
};

struct ApiKey {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string name;
  std::string prefix;         // first characters of the key, shown to recognise it
  UnixMillis created_at = 0;
  std::optional<UnixMillis> last_used_at;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  /// nullopt when the email is taken.
  virtual std::optional<User> create_user(const std::string& email, const std::string& password_hash,
                                          UnixMillis now) = 0;
  virtual std::optional<User> find_user_by_email(const std::string& email) = 0;
  virtual std::optional<User> find_user(std::int64_t id) = 0;

  virtual void create_session(std::int64_t user_id, const std::string& token_hash, UnixMillis expires_at) = 0;
  /// The session's user if it exists and has not expired at `now`.
  virtual std::optional<std::int64_t> session_user(const std::string& token_hash, UnixMillis now) = 0;
  virtual void delete_session(const std::string& token_hash) = 0;

  virtual ApiKey create_api_key(std::int64_t user_id, const std::string& name, const std::string& prefix,
                                const std::string& key_hash, UnixMillis now) = 0;
  virtual std::vector<ApiKey> api_keys(std::int64_t user_id) = 0;
  /// false when no such key of that user exists.
  virtual bool delete_api_key(std::int64_t user_id, std::int64_t key_id) = 0;
  /// The key's user, recording the use.
  virtual std::optional<std::int64_t> api_key_user(const std::string& key_hash, UnixMillis now) = 0;
};

}  // namespace imagesprint
