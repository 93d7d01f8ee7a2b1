// The key rules every ObjectStore applies before touching storage (see object_store.hpp).
// A whitelist, not a blacklist: whatever is not plainly safe in a file path, a URL path and an
// S3 key without escaping is refused, so no store has to get encoding or traversal right.
#include <cstdio>

#include "ports/object_store.hpp"

namespace imagesprint {
namespace {

bool allowed(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '/';
}

std::string describe(char c) {
  if (c == '\0') return "a NUL byte";
  if (c == '\\') return "a backslash";
  const auto byte = static_cast<unsigned char>(c);
  if (byte < 0x20 || byte >= 0x7f) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", byte);
    return std::string("the byte ") + hex;
  }
  return std::string("the character '") + c + "'";
}

std::optional<std::string> check(std::string_view key, std::string_view what) {
  const std::string subject(what);
  if (key.empty()) return subject + " is empty";
  if (key.size() > MAX_OBJECT_KEY_BYTES) {
    return subject + " is longer than " + std::to_string(MAX_OBJECT_KEY_BYTES) + " bytes";
  }
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (!allowed(key[i])) {
      return subject + " contains " + describe(key[i]) + " at byte " + std::to_string(i) +
             " (allowed: letters, digits, '-', '_', '.', '/')";
    }
  }
  if (key.front() == '/') return subject + " starts with '/' (an absolute path)";
  if (key.back() == '/') return subject + " ends with '/' (an empty last segment)";
  std::size_t start = 0;
  while (start <= key.size()) {
    const std::size_t slash = std::min(key.find('/', start), key.size());
    const std::string_view segment = key.substr(start, slash - start);
    if (segment.empty()) {
      return subject + " has an empty segment ('//') at byte " + std::to_string(start);
    }
    if (segment.front() == '.') {
      return subject + " has a segment starting with '.' ('" + std::string(segment) + "')";
    }
    if (segment.size() > MAX_OBJECT_KEY_SEGMENT_BYTES) {
      return subject + " has a segment longer than " +
             std::to_string(MAX_OBJECT_KEY_SEGMENT_BYTES) + " bytes";
    }
    start = slash + 1;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> object_key_error(std::string_view key) {
  return check(key, "object key");
}

std::optional<std::string> object_prefix_error(std::string_view prefix) {
  if (prefix.empty()) return std::nullopt;
  if (prefix.back() == '/') prefix.remove_suffix(1);
  return check(prefix, "object key prefix");
}

std::string_view to_string(PresignMethod method) {
  switch (method) {
    case PresignMethod::get:
      return "GET";
    case PresignMethod::put:
      return "PUT";
  }
  return "GET";
}

std::string_view to_string(SignatureCheck check) {
  switch (check) {
    case SignatureCheck::valid:
      return "valid";
    case SignatureCheck::expired:
      return "expired";
    case SignatureCheck::malformed:
      return "malformed";
    case SignatureCheck::forged:
      return "forged";
  }
  return "forged";
}

}  // namespace imagesprint
