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
  std::string prefix;  // first characters of the key, shown to recognise it
  UnixMillis created_at = 0;
  std::optional<UnixMillis> last_used_at;
};

/// A stored credential, found by its public id part; the caller compares `hash` in constant time.
struct StoredCredential {
  std::int64_t user_id = 0;
  std::string hash;                      // SHA-256 hex of the whole token or key
  std::int64_t key_id = 0;               // API keys: the row id
  std::optional<UnixMillis> expires_at;  // sessions
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  /// nullopt when the email is taken.
  virtual std::optional<User> create_user(const std::string& email,
                                          const std::string& password_hash, UnixMillis now) = 0;
  virtual std::optional<User> find_user_by_email(const std::string& email) = 0;
  virtual std::optional<User> find_user(std::int64_t id) = 0;

  /// Sessions are found by their public id; the token's hash is checked by the caller.
  virtual void create_session(const std::string& session_id, std::int64_t user_id,
                              const std::string& token_hash, UnixMillis expires_at) = 0;
  virtual std::optional<StoredCredential> session(const std::string& session_id) = 0;
  virtual void delete_session(const std::string& session_id) = 0;
  /// Removes sessions that expired before `now`; returns how many.
  virtual int delete_expired_sessions(UnixMillis now) = 0;

  /// API keys are found by their public prefix; the key's hash is checked by the caller.
  virtual ApiKey create_api_key(std::int64_t user_id, const std::string& name,
                                const std::string& prefix, const std::string& key_hash,
                                UnixMillis now) = 0;
  virtual std::vector<ApiKey> api_keys(std::int64_t user_id) = 0;
  /// false when no such key of that user exists.
  virtual bool delete_api_key(std::int64_t user_id, std::int64_t key_id) = 0;
  virtual std::optional<StoredCredential> api_key(const std::string& prefix) = 0;
  virtual void touch_api_key(std::int64_t key_id, UnixMillis now) = 0;
};

}  // namespace imagesprint
