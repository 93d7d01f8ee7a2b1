#pragma once
// A whole number written in decimal, as requests, headers, keys and stored ids carry them: the
// digits (a '-' first for a signed type) and nothing else, within the type's range. std::stoi
// and friends would take "+7", " 7" and "7x" as 7, and throw on what they refuse.
#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>

namespace imagesprint {

template <typename T>
std::optional<T> whole_number(std::string_view text) {
  T value{};
  const char* const last = text.data() + text.size();
  const auto [end, error] = std::from_chars(text.data(), last, value);
  if (text.empty() || error != std::errc{} || end != last) return std::nullopt;
  return value;
}

/// whole_number, within [low, high].
template <typename T>
std::optional<T> whole_number(std::string_view text, T low, T high) {
  const auto value = whole_number<T>(text);
  if (!value || *value < low || *value > high) return std::nullopt;
  return value;
}

}  // namespace imagesprint
