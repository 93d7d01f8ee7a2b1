#pragma once
// Secrets through libsodium: argon2id (crypto_pwhash_str, interactive limits by default),
// randombytes, SHA-256, HMAC-SHA256, sodium_memcmp and base64 (sodium_bin2base64/base642bin).
#include "ports/secrets.hpp"

namespace imagesprint {

struct PasswordCost {
  unsigned long long ops = 2;           // crypto_pwhash_OPSLIMIT_INTERACTIVE
  std::size_t mem_bytes = 64ull << 20;  // crypto_pwhash_MEMLIMIT_INTERACTIVE (64 MiB)
};

class SodiumSecrets final : public Secrets {
 public:
  /// Throws if libsodium cannot start. A lower cost is for tests only.
  explicit SodiumSecrets(PasswordCost cost = {});

  std::string hash_password(std::string_view password) const override;
  bool verify_password(std::string_view password, const std::string& hash) const override;
  std::string random_token(std::size_t bytes) const override;
  std::string random_bytes(std::size_t count) const override;
  std::string sha256_hex(std::string_view data) const override;
  std::string hmac_sha256(std::string_view key, std::string_view message) const override;
  bool equal(std::string_view a, std::string_view b) const override;
  std::string base64_encode(std::string_view bytes) const override;
  std::optional<std::string> base64_decode(std::string_view text) const override;

 private:
  PasswordCost cost_;
};

/// Standard base64 with padding (webhook signatures use it).
std::string base64_encode(std::string_view bytes);
/// URL-safe base64 without padding.
std::string base64url_encode(std::string_view bytes);

}  // namespace imagesprint
