#pragma once
// Signatures of the local store's presigned URLs: HMAC-SHA256 (libsodium) over the method, the
// object key and the expiry time, so a URL can be neither pointed at another object, nor used
// for another method, nor kept alive longer. The HTTP layer that serves these URLs passes the
// request's method, key and query values to verify().
#include <cstdint>
#include <string>
#include <string_view>

#include "ports/object_store.hpp"

namespace imagesprint {

class UrlSigner {
 public:
  static constexpr std::size_t MIN_KEY_BYTES = 32;

  /// `secret` is raw bytes, at least MIN_KEY_BYTES (std::invalid_argument otherwise).
  explicit UrlSigner(std::string secret);

  /// The signature, as 64 lowercase hex digits, of `method` on `key` until `expires_unix_seconds`.
  std::string sign(PresignMethod method, std::string_view key,
                   std::int64_t expires_unix_seconds) const;

  /// Checks a signature and its expiry (decimal Unix seconds, as the URL carries it) for a
  /// request made at `now_unix_seconds`. The comparison takes constant time.
  SignatureCheck verify(PresignMethod method, std::string_view key, std::string_view expires,
                        std::string_view signature_hex, std::int64_t now_unix_seconds) const;

 private:
  std::string secret_;
};

}  // namespace imagesprint
