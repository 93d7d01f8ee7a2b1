#include "adapters/localfs/url_signer.hpp"

#include <sodium.h>

#include <array>
#include <charconv>
#include <stdexcept>

namespace imagesprint {
namespace {

using Mac = std::array<unsigned char, crypto_auth_hmacsha256_BYTES>;

// The message starts with a purpose and version: the same secret can then never produce a
// signature that another use of it (or a later format) would accept.
Mac mac_of(const std::string& secret, PresignMethod method, std::string_view key,
           std::int64_t expires) {
  const std::string message = "imagesprint-presigned-url-v1\n" + std::string(to_string(method)) +
                              "\n" + std::string(key) + "\n" + std::to_string(expires);
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  Mac mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return mac;
}

}  // namespace

UrlSigner::UrlSigner(std::string secret) : secret_(std::move(secret)) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to start");
  if (secret_.size() < MIN_KEY_BYTES) {
    throw std::invalid_argument("URL signing key must have at least " +
                                std::to_string(MIN_KEY_BYTES) + " bytes, got " +
                                std::to_string(secret_.size()));
  }
}

std::string UrlSigner::sign(PresignMethod method, std::string_view key,
                            std::int64_t expires_unix_seconds) const {
  const Mac mac = mac_of(secret_, method, key, expires_unix_seconds);
  std::string hex(mac.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
  hex.pop_back();
  return hex;
}

SignatureCheck UrlSigner::verify(PresignMethod method, std::string_view key,
                                 std::string_view expires, std::string_view signature_hex,
                                 std::int64_t now_unix_seconds) const {
  // Only the exact form sign() produces: plain digits, no sign, no leading zero, no spaces.
  std::int64_t expires_at = 0;
  const bool digits_only = !expires.empty() && expires.size() <= 18 &&
                           expires.find_first_not_of("0123456789") == std::string_view::npos &&
                           (expires.size() == 1 || expires.front() != '0');
  if (!digits_only) return SignatureCheck::malformed;
  std::from_chars(expires.data(), expires.data() + expires.size(), expires_at);

  Mac given{};
  std::size_t given_len = 0;
  const char* end = nullptr;
  if (signature_hex.size() != given.size() * 2 ||
      sodium_hex2bin(given.data(), given.size(), signature_hex.data(), signature_hex.size(),
                     nullptr, &given_len, &end) != 0 ||
      given_len != given.size() || end != signature_hex.data() + signature_hex.size()) {
    return SignatureCheck::malformed;
  }
  const Mac expected = mac_of(secret_, method, key, expires_at);
  // Signature first: an attacker learns nothing about expiry from a forged URL.
  if (sodium_memcmp(given.data(), expected.data(), given.size()) != 0) {
    return SignatureCheck::forged;
  }
  if (now_unix_seconds > expires_at) return SignatureCheck::expired;
  return SignatureCheck::valid;
}

}  // namespace imagesprint
