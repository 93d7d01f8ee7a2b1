#pragma once
// SHA-256 and HMAC-SHA256 for Signature Version 4, through libsodium (already linked for the
// local store's URL signatures and the passwords).
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace imagesprint::s3 {

using Digest = std::array<std::uint8_t, 32>;

/// SHA-256 of `bytes`.
Digest sha256(std::span<const std::uint8_t> bytes);
Digest sha256(std::string_view text);

/// HMAC-SHA256 of `message` under `key` (any length).
Digest hmac_sha256(std::span<const std::uint8_t> key, std::string_view message);
Digest hmac_sha256(std::string_view key, std::string_view message);

/// Lower-case hexadecimal, as SigV4 writes hashes and signatures.
std::string hex(std::span<const std::uint8_t> bytes);

}  // namespace imagesprint::s3
