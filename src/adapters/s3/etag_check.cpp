#include "adapters/s3/etag_check.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

#include "adapters/s3/hashing.hpp"
#include "ports/storage_error.hpp"

namespace imagesprint::s3 {

std::string md5_hex(std::span<const std::uint8_t> bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_md5(), nullptr) != 1) {
    throw StorageError("OpenSSL could not compute an MD5");
  }
  return hex(std::span<const std::uint8_t>(digest, size));
}

bool body_matches_etag(const S3Response& answer, std::string_view etag, std::string_view body) {
  if (etag.empty()) return false;  // S3 always sends one: a broken answer
  const bool md5_shaped = etag.size() == 32 && std::ranges::all_of(etag, [](unsigned char c) {
                            return std::isxdigit(c);
                          });
  if (!md5_shaped) return true;
  const auto encryption = answer.header("x-amz-server-side-encryption");
  if ((encryption && *encryption == "aws:kms") || (encryption && *encryption == "aws:kms:dsse") ||
      answer.header("x-amz-server-side-encryption-customer-algorithm")) {
    return true;
  }
  std::string lower(etag);
  std::ranges::transform(lower, lower.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return md5_hex({reinterpret_cast<const std::uint8_t*>(body.data()), body.size()}) == lower;
}

}  // namespace imagesprint::s3
