#pragma once
// What the fuzz targets share: a check that aborts (so libFuzzer, and the standalone replay under
// the sanitizers, report a broken invariant as a crash with its input) and byte-to-text views.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>

// A macro, not a function: the message names the failed expression and its line.
#define FUZZ_CHECK(condition)         \
  ((condition) ? static_cast<void>(0) \
               : ::imagesprint::fuzz::check_failed(#condition, __FILE__, __LINE__))

namespace imagesprint::fuzz {

[[noreturn]] inline void check_failed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", file, line, condition);
  std::abort();
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Splits `text` at the first '\n': what comes before (the head) and after (the rest). Targets
/// that need two inputs (a header and a body) take them this way, so corpus files stay readable.
inline std::pair<std::string_view, std::string_view> split_first_line(std::string_view text) {
  const auto newline = text.find('\n');
  if (newline == std::string_view::npos) return {text, {}};
  return {text.substr(0, newline), text.substr(newline + 1)};
}

}  // namespace imagesprint::fuzz
