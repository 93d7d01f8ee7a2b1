#pragma once
// The message catalogue: every text the service shows a person, by a stable key, in English and
// Korean, with named parameters. Domain and use-case code keeps a key (an error code, a
// notification type) and its parameters, never a sentence; the edge that answers a reader picks
// the language (the HTTP layer from Accept-Language) and renders here, in one place.
//
// A template names its parameters in braces, with an optional format after a colon:
//   {name}            the value as given (a number gets digit grouping: 12,345)
//   {name:bytes}      a byte count in binary units: "20 MiB", "1.5 GiB"
//   {name:duration}   seconds in words: "2 hours", "1 hour 30 minutes" / "2시간", "1시간 30분"
//   {name:pixels}     a pixel count in megapixels: "100 MP"
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace imagesprint {

enum class Language { en, ko };

/// "en" or "ko".
std::string_view to_string(Language language);

/// A message's parameters: a JSON object of strings and numbers ({} or null when none).
using MessageParams = nlohmann::json;

/// The text of `key` in `language` with `params` filled in; nullopt when the catalogue has no such
/// key, or when its template names a parameter that `params` lacks (an old record stored before
/// its parameters were: the caller then shows what it kept).
std::optional<std::string> render_message(std::string_view key, const MessageParams& params,
                                          Language language);

/// Whether the catalogue has `key`.
bool has_message(std::string_view key);

/// Every key of the catalogue (tests check that each has both languages and that the two name
/// the same parameters).
std::vector<std::string_view> message_keys();

/// The template of `key` in `language` (empty when there is none).
std::string_view message_template(std::string_view key, Language language);

/// Locale formatting, also used by the templates' formats.
std::string format_count(long long value, Language language);
std::string format_bytes(long long bytes, Language language);
std::string format_duration(long long seconds, Language language);
std::string format_pixels(long long pixels, Language language);

}  // namespace imagesprint
