#pragma once
// Port: the cryptography the use cases need (accounts, API keys, signed URLs, webhook signatures),
// so that they never call a crypto library directly.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imagesprint {

class Secrets {
 public:
  virtual ~Secrets() = default;
  /// An argon2id hash in the PHC string format ("$argon2id$v=19$m=...,t=...,p=1$salt$hash").
  virtual std::string hash_password(std::string_view password) const = 0;
  /// Whether `password` matches a hash from hash_password (constant time in the hash).
  virtual bool verify_password(std::string_view password, const std::string& hash) const = 0;
  /// `bytes` random bytes, URL-safe base64 without padding: tokens, ids, API keys.
  virtual std::string random_token(std::size_t bytes) const = 0;
  /// `count` random bytes, raw: keys (webhook secrets).
  virtual std::string random_bytes(std::size_t count) const = 0;
  /// SHA-256 as lowercase hex: how session tokens and API keys are stored (never in clear).
  virtual std::string sha256_hex(std::string_view data) const = 0;
  /// HMAC-SHA256(key, message), raw 32 bytes.
  virtual std::string hmac_sha256(std::string_view key, std::string_view message) const = 0;
  /// Constant-time comparison of two secrets (false when the lengths differ).
  virtual bool equal(std::string_view a, std::string_view b) const = 0;
  /// Standard base64 (RFC 4648 section 4 alphabet, with padding): webhook secrets and signatures.
  virtual std::string base64_encode(std::string_view bytes) const = 0;
  /// The bytes of standard, padded base64, or nullopt when `text` is not exactly that (another
  /// alphabet, missing padding, whitespace, trailing characters).
  virtual std::optional<std::string> base64_decode(std::string_view text) const = 0;
};

}  // namespace imagesprint
