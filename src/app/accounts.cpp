#include "app/accounts.hpp"

#include <algorithm>
#include <cctype>

#include "domain/untrusted_text.hpp"

namespace imagesprint {
namespace {

Error invalid(const std::string& field, const std::string& message) {
  return Error{ErrorCode::invalid_request, field + ": " + message, field, {}, false};
}

}  // namespace

Accounts::Accounts(AccountStore& store, const Secrets& secrets, AccountsConfig config, Now now,
                   const RateLimiterFactory& limiters)
    : store_(store),
      secrets_(secrets),
      config_(config),
      now_(std::move(now)),
      // Per (email, address) pair, not per email: an attacker elsewhere failing on purpose must
      // not lock the real owner out.
      by_email_(limiters("login-email", config.login_attempts_per_minute, std::chrono::minutes(1))),
      // An address may serve several people (an office, a NAT): allow it more.
      by_client_(
          limiters("login-client", config.login_attempts_per_minute * 5, std::chrono::minutes(1))),
      dummy_hash_(secrets.hash_password("not a real password: timing equaliser")) {}

std::optional<std::string> Accounts::normalise_email(const std::string& raw) {
  std::string email = raw;
  email.erase(0, email.find_first_not_of(" \t\r\n"));
  email.erase(email.find_last_not_of(" \t\r\n") + 1);
  std::transform(email.begin(), email.end(), email.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto at = email.find('@');
  const bool ok = email.size() <= 254 && at != std::string::npos && at > 0 &&
                  email.find('@', at + 1) == std::string::npos &&
                  email.find('.', at + 2) != std::string::npos && email.back() != '.' &&
                  std::none_of(email.begin(), email.end(),
                               [](unsigned char c) { return std::isspace(c) || c < 0x20; });
  if (!ok) return std::nullopt;
  return email;
}

std::pair<std::string, std::string> Accounts::split(const std::string& credential) {
  const auto dot = credential.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 >= credential.size()) return {};
  return {credential.substr(0, dot), credential.substr(dot + 1)};
}

Session Accounts::open_session(const User& user) {
  const std::string id = secrets_.random_token(12);
  const std::string token = id + "." + secrets_.random_token(32);
  const UnixMillis expires =
      now_() + std::chrono::duration_cast<std::chrono::milliseconds>(config_.session_ttl).count();
  store_.create_session(id, user.id, secrets_.sha256_hex(token), expires);
  return Session{user, token, expires};
}

Expected<Session> Accounts::signup(const std::string& raw_email, const std::string& password) {
  const auto email = normalise_email(raw_email);
  if (!email) return invalid("email", "expected an email address like name@example.com");
  if (password.size() < MIN_PASSWORD || password.size() > MAX_PASSWORD) {
    return invalid("password", "expected " + std::to_string(MIN_PASSWORD) + " to " +
                                   std::to_string(MAX_PASSWORD) + " characters");
  }
  const auto user = store_.create_user(*email, secrets_.hash_password(password), now_());
  if (!user)
    return Error{
        ErrorCode::conflict, "email: an account with this email exists", "email", {}, false};
  return open_session(*user);
}

Expected<Session> Accounts::login(const std::string& raw_email, const std::string& password,
                                  const std::string& client) {
  const std::string email = normalise_email(raw_email).value_or(raw_email);
  if (!by_client_->allow(client) || !by_email_->allow(email + '\n' + client)) {
    return Error{
        ErrorCode::rate_limited, "too many login attempts; wait a minute", {}, {}, true, 60};
  }
  const auto user = store_.find_user_by_email(email);
  // Verify against a dummy hash for unknown emails so the time taken does not reveal accounts.
  const bool valid =
      secrets_.verify_password(password, user ? user->password_hash : dummy_hash_) && user;
  if (!valid) return Error{ErrorCode::unauthorized, "wrong email or password", {}, {}, false};
  return open_session(*user);
}

void Accounts::logout(const std::string& token) {
  const auto [id, secret] = split(token);
  if (id.empty()) return;
  const auto stored = store_.session(id);
  if (stored && secrets_.equal(stored->hash, secrets_.sha256_hex(token))) store_.delete_session(id);
}

std::optional<std::int64_t> Accounts::authenticate(const std::string& credential) {
  if (credential.starts_with(API_KEY_PREFIX)) {
    const auto [id, secret] = split(credential.substr(API_KEY_PREFIX.size()));
    if (id.empty()) return std::nullopt;
    const auto stored = store_.api_key(id);
    if (!stored || !secrets_.equal(stored->hash, secrets_.sha256_hex(credential)))
      return std::nullopt;
    store_.touch_api_key(stored->key_id, now_());
    return stored->user_id;
  }
  const auto [id, secret] = split(credential);
  if (id.empty()) return std::nullopt;
  const auto stored = store_.session(id);
  if (!stored || !secrets_.equal(stored->hash, secrets_.sha256_hex(credential)))
    return std::nullopt;
  if (stored->expires_at && *stored->expires_at <= now_()) return std::nullopt;
  return stored->user_id;
}

Expected<NewApiKey> Accounts::create_api_key(std::int64_t user_id, const std::string& name) {
  constexpr std::size_t MAX_NAME = 100;  // characters (code points), as the column holds them
  if (name.empty() || !is_valid_utf8(name) || code_points(name) > MAX_NAME) {
    return invalid("name", "expected 1 to 100 characters");
  }
  const std::string prefix = secrets_.random_token(6);
  const std::string key = std::string(API_KEY_PREFIX) + prefix + "." + secrets_.random_token(32);
  ApiKey stored = store_.create_api_key(user_id, name, prefix, secrets_.sha256_hex(key), now_());
  return NewApiKey{std::move(stored), key};
}

std::vector<ApiKey> Accounts::api_keys(std::int64_t user_id) {
  return store_.api_keys(user_id);
}

bool Accounts::delete_api_key(std::int64_t user_id, std::int64_t key_id) {
  return store_.delete_api_key(user_id, key_id);
}

}  // namespace imagesprint
