#include "adapters/s3/content_disposition.hpp"

namespace imagesprint::s3 {
namespace {

/// Safe inside filename="...": printable ASCII but '"', '\\' and '%' (which some browsers decode).
bool quotable(unsigned char c) {
  return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%';
}

/// RFC 5987 attr-char: sent as is in an ext-value; everything else is percent-encoded.
bool attr_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

std::string attachment_disposition(std::string_view filename) {
  if (filename.empty()) return "attachment";
  std::string fallback;
  bool needs_extended = false;
  for (const char c : filename) {
    const auto byte = static_cast<unsigned char>(c);
    if (quotable(byte)) {
      fallback.push_back(c);
    } else {
      needs_extended = true;
      // One '_' per UTF-8 character, not per byte: skip continuation bytes.
      if ((byte & 0xC0) != 0x80) fallback.push_back('_');
    }
  }
  std::string out = "attachment; filename=\"" + fallback + "\"";
  if (!needs_extended) return out;
  static constexpr char DIGITS[] = "0123456789ABCDEF";
  out += "; filename*=UTF-8''";
  for (const char c : filename) {
    const auto byte = static_cast<unsigned char>(c);
    if (attr_char(byte)) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(DIGITS[byte >> 4]);
      out.push_back(DIGITS[byte & 0x0f]);
    }
  }
  return out;
}

}  // namespace imagesprint::s3
