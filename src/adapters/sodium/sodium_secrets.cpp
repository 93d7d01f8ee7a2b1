#include "adapters/sodium/sodium_secrets.hpp"

#include <sodium.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace imagesprint {
namespace {

std::string base64(std::string_view bytes, int variant) {
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  return base64(bytes, sodium_base64_VARIANT_ORIGINAL);
}
std::string base64url_encode(std::string_view bytes) {
  return base64(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

SodiumSecrets::SodiumSecrets(PasswordCost cost) : cost_(cost) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to start");
}

std::string SodiumSecrets::hash_password(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost_.ops, cost_.mem_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("argon2id: out of memory");
  }
  return out;
}

bool SodiumSecrets::verify_password(std::string_view password, const std::string& hash) const {
  if (hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string SodiumSecrets::random_token(std::size_t n) const {
  return base64url_encode(random_bytes(n));
}

std::string SodiumSecrets::random_bytes(std::size_t count) const {
  std::string raw(count, '\0');
  randombytes_buf(raw.data(), raw.size());
  return raw;
}

std::string SodiumSecrets::sha256_hex(std::string_view data) const {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, bytes_of(data), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string SodiumSecrets::hmac_sha256(std::string_view key, std::string_view message) const {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, bytes_of(key), key.size());
  crypto_auth_hmacsha256_update(&state, bytes_of(message), message.size());
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
  return mac;
}

bool SodiumSecrets::equal(std::string_view a, std::string_view b) const {
  // The length of a secret is not itself secret here (tokens have a fixed length).
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string SodiumSecrets::base64_encode(std::string_view bytes) const {
  return imagesprint::base64_encode(bytes);
}

std::optional<std::string> SodiumSecrets::base64_decode(std::string_view text) const {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  // No characters to ignore and no end pointer: anything but the whole input being valid
  // padded base64 fails.
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

}  // namespace imagesprint
