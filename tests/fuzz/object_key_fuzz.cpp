// Fuzzes the object-key rules every ObjectStore applies before touching storage
// (src/ports/object_key.cpp): object_key_error and object_prefix_error must agree with an
// independent reading of the documented rules, because a key they let through becomes a file
// path (local folder) or an S3 key.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "ports/object_store.hpp"

namespace {

using imagesprint::MAX_OBJECT_KEY_BYTES;
using imagesprint::MAX_OBJECT_KEY_SEGMENT_BYTES;

/// The rules of object_store.hpp, read again segment by segment.
bool reference_valid(std::string_view key) {
  if (key.empty() || key.size() > MAX_OBJECT_KEY_BYTES) return false;
  std::string_view rest = key;
  for (;;) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment.empty() || segment.size() > MAX_OBJECT_KEY_SEGMENT_BYTES) return false;
    if (segment.front() == '.') return false;
    for (const char c : segment) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.';
      if (!ok) return false;
    }
    if (slash == std::string_view::npos) return true;
    rest.remove_prefix(slash + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view key = imagesprint::fuzz::as_text(data, size);
  const auto error = imagesprint::object_key_error(key);
  FUZZ_CHECK(error.has_value() != reference_valid(key));
  if (error) {
    FUZZ_CHECK(!error->empty());
  } else {
    // A valid key stays inside a store's root: no absolute path, no "." or ".." segment.
    FUZZ_CHECK(key.front() != '/' && key.front() != '.');
    FUZZ_CHECK(key.find("/.") == std::string_view::npos);
    FUZZ_CHECK(key.find("//") == std::string_view::npos);
    // A valid key is a valid prefix, with or without a trailing slash.
    FUZZ_CHECK(!imagesprint::object_prefix_error(key).has_value());
    FUZZ_CHECK(!imagesprint::object_prefix_error(std::string(key) + "/").has_value());
  }
  const auto prefix_error = imagesprint::object_prefix_error(key);
  if (key.empty()) {
    FUZZ_CHECK(!prefix_error.has_value());
  } else {
    const std::string_view trimmed = key.ends_with('/') ? key.substr(0, key.size() - 1) : key;
    FUZZ_CHECK(prefix_error.has_value() != reference_valid(trimmed));
  }
  return 0;
}
