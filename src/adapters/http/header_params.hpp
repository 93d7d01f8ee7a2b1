#pragma once
// Header values of the form `value *( ";" name "=" ( token / quoted-string ) )`, as Content-Type
// (RFC 9110) and Content-Disposition (RFC 6266, RFC 7578) use them, and RFC 8187 (formerly RFC
// 5987) extended values such as filename*=UTF-8''%E2%82%AC.jpg. Pure functions, no I/O.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace imagesprint::http {

struct HeaderValue {
  std::string value;  // lower-cased ("multipart/form-data", "form-data")
  std::vector<std::pair<std::string, std::string>> params;  // names lower-cased, values unquoted

  /// The value of parameter `name` (lower case), or nullptr.
  const std::string* param(std::string_view name) const;
};

/// Parses a header value with parameters; nullopt when it is malformed or names a parameter
/// twice (two readings of one header must never be possible). Inside a quoted string a
/// backslash escapes only '"' and '\'; any other backslash is kept as is, because browsers send
/// Windows paths unescaped.
std::optional<HeaderValue> parse_header_value(std::string_view text);

/// Decodes an RFC 8187 ext-value (charset "'" [language] "'" percent-encoded bytes) to UTF-8.
/// Charsets UTF-8 (checked to be valid) and ISO-8859-1 (converted); nullopt for anything else.
std::optional<std::string> decode_ext_value(std::string_view text);

}  // namespace imagesprint::http
