#pragma once
// Whether a whole object's bytes are the ones S3 stored, by its ETag. For an object written by
// one PUT (not multipart) and not encrypted with SSE-KMS or SSE-C, S3's ETag is the MD5 of its
// bytes (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html); MinIO, Ceph and
// s3rver do the same. A GET whose body does not match was damaged on the way or read while a
// server without atomic writes was replacing the object, and is read again. MD5 comes from
// OpenSSL, which libcurl links already (libsodium has none); it guards against accidents, not
// attackers (SigV4 and TLS do that).
#include <span>
#include <string_view>

#include "adapters/s3/s3_http.hpp"

namespace imagesprint::s3 {

/// Lower-case hex MD5 of `bytes`.
std::string md5_hex(std::span<const std::uint8_t> bytes);

/// false when `etag` (unquoted) is empty (S3 always sends one), or is an MD5 by the rules above
/// and `body` does not match it; true when it matches or when the ETag says nothing about the
/// bytes (multipart "...-N", SSE-KMS or SSE-C as the answer's headers tell).
bool body_matches_etag(const S3Response& answer, std::string_view etag, std::string_view body);

}  // namespace imagesprint::s3
