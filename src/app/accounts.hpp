#pragma once
// Use cases of accounts: sign up, log in, log out, authenticate a request, manage API keys.
// Credentials are "<public id>.<secret>": the id finds the row, the secret's SHA-256 is compared
// in constant time, and only that hash is ever stored.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/rate_limiter.hpp"
#include "domain/expected.hpp"
#include "ports/account_store.hpp"
#include "ports/secrets.hpp"

namespace imagesprint {

struct AccountsConfig {
  static constexpr std::chrono::seconds DEFAULT_SESSION_TTL{30 * 86'400};
  static constexpr int DEFAULT_LOGIN_ATTEMPTS_PER_MINUTE = 10;

  std::chrono::seconds session_ttl = DEFAULT_SESSION_TTL;
  /// Per (email, client address); 5x that per address.
  int login_attempts_per_minute = DEFAULT_LOGIN_ATTEMPTS_PER_MINUTE;
};

struct Session {
  User user;
  std::string token;  // give to the client once (cookie and bearer token)
  UnixMillis expires_at = 0;
};

struct NewApiKey {
  ApiKey key;
  std::string secret;  // the whole key, shown once
};

class Accounts {
 public:
  using Now = std::function<UnixMillis()>;
  /// `limiters` counts log-in attempts (in process by default; Redis for several processes).
  Accounts(AccountStore& store, const Secrets& secrets, AccountsConfig config, Now now,
           const RateLimiterFactory& limiters = in_process_rate_limiters());

  /// Errors: invalid_request naming "email" or "password", conflict when the email is taken.
  Expected<Session> signup(const std::string& email, const std::string& password);
  /// Errors: unauthorized (same message whether the email exists or not), rate_limited.
  Expected<Session> login(const std::string& email, const std::string& password,
                          const std::string& client);
  void logout(const std::string& token);
  /// The user behind a session token or an API key, if valid.
  std::optional<std::int64_t> authenticate(const std::string& credential);

  std::optional<User> user(std::int64_t user_id) { return store_.find_user(user_id); }

  Expected<NewApiKey> create_api_key(std::int64_t user_id, const std::string& name);
  std::vector<ApiKey> api_keys(std::int64_t user_id);
  bool delete_api_key(std::int64_t user_id, std::int64_t key_id);

  /// Lower-cased, trimmed email if it looks like one (x@y.z, at most 254 bytes).
  static std::optional<std::string> normalise_email(const std::string& email);

  static constexpr std::size_t MIN_PASSWORD = 8;
  static constexpr std::size_t MAX_PASSWORD = 1024;
  static constexpr std::string_view API_KEY_PREFIX = "isk_";

 private:
  Session open_session(const User& user);
  /// Splits "<id>.<secret>"; empty id when malformed.
  static std::pair<std::string, std::string> split(const std::string& credential);

  AccountStore& store_;
  const Secrets& secrets_;
  AccountsConfig config_;
  Now now_;
  std::unique_ptr<RateLimiter> by_email_;  // keyed by email and client address together
  std::unique_ptr<RateLimiter> by_client_;
  std::string dummy_hash_;  // verified against for unknown emails, so timing does not tell
};

}  // namespace imagesprint
