#include "adapters/s3/hashing.hpp"

#include <sodium.h>

#include <stdexcept>

namespace imagesprint::s3 {
namespace {

void init_sodium_once() {
  static const int result = sodium_init();
  if (result < 0) throw std::runtime_error("libsodium failed to start");
}

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

Digest sha256(std::span<const std::uint8_t> bytes) {
  init_sodium_once();
  Digest out{};
  crypto_hash_sha256(out.data(), bytes.data(), bytes.size());
  return out;
}

Digest sha256(std::string_view text) {
  return sha256(bytes_of(text));
}

Digest hmac_sha256(std::span<const std::uint8_t> key, std::string_view message) {
  init_sodium_once();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.data(), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  Digest out{};
  crypto_auth_hmacsha256_final(&state, out.data());
  sodium_memzero(&state, sizeof state);
  return out;
}

Digest hmac_sha256(std::string_view key, std::string_view message) {
  return hmac_sha256(bytes_of(key), message);
}

std::string hex(std::span<const std::uint8_t> bytes) {
  static constexpr char DIGITS[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::uint8_t b : bytes) {
    out.push_back(DIGITS[b >> 4]);
    out.push_back(DIGITS[b & 0x0f]);
  }
  return out;
}

}  // namespace imagesprint::s3
