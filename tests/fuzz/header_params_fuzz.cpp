// Fuzzes the header-value parsers of uploads (src/adapters/http/header_params.*):
// parse_header_value (Content-Type, Content-Disposition with quoted strings and parameters),
// decode_ext_value (RFC 8187 filename*) and is_valid_utf8 (domain/untrusted_text, which the
// decoder checks with), with the properties callers rely on.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/http/header_params.hpp"
#include "domain/untrusted_text.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace imagesprint::http;
using imagesprint::is_valid_utf8;

bool is_lower_token(std::string_view text) {
  for (const char c : text) {
    if (c >= 'A' && c <= 'Z') return false;
  }
  return !text.empty();
}

/// Well-formed UTF-8 by the table of the Unicode standard (3.9, table 3-7): an independent
/// reading to compare is_valid_utf8 with.
bool reference_utf8(std::string_view text) {
  const auto at = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const auto in = [](unsigned char b, unsigned lo, unsigned hi) { return b >= lo && b <= hi; };
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char b = at(i);
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (b <= 0x7F) {
      n = 1;
    } else if (in(b, 0xC2, 0xDF)) {
      n = 2;
    } else if (b == 0xE0) {
      n = 3, lo = 0xA0;
    } else if (in(b, 0xE1, 0xEC) || in(b, 0xEE, 0xEF)) {
      n = 3;
    } else if (b == 0xED) {
      n = 3, hi = 0x9F;
    } else if (b == 0xF0) {
      n = 4, lo = 0x90;
    } else if (in(b, 0xF1, 0xF3)) {
      n = 4;
    } else if (b == 0xF4) {
      n = 4, hi = 0x8F;
    } else {
      return false;
    }
    if (i + n > text.size()) return false;
    if (n > 1 && !in(at(i + 1), lo, hi)) return false;
    for (std::size_t k = 2; k < n; ++k) {
      if (!in(at(i + k), 0x80, 0xBF)) return false;
    }
    i += n;
  }
  return true;
}

std::string hex_escaped(std::string_view bytes) {
  static constexpr char HEX[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    out += '%';
    out += HEX[byte >> 4];
    out += HEX[byte & 0x0f];
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = imagesprint::fuzz::as_text(data, size);

  if (const auto parsed = parse_header_value(text)) {
    FUZZ_CHECK(is_lower_token(parsed->value));
    for (std::size_t i = 0; i < parsed->params.size(); ++i) {
      const auto& [name, value] = parsed->params[i];
      FUZZ_CHECK(is_lower_token(name));
      // One reading only: a parameter never comes twice, and param() finds this one.
      FUZZ_CHECK(parsed->param(name) == &value);
      // Control characters other than tab never survive into a value.
      for (const char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        FUZZ_CHECK(byte >= 0x20 || c == '\t');
        FUZZ_CHECK(byte != 0x7f);
      }
    }
    if (const std::string* extended = parsed->param("filename*")) {
      if (const auto decoded = decode_ext_value(*extended)) FUZZ_CHECK(is_valid_utf8(*decoded));
    }
  }

  // Whatever decodes is UTF-8 (ISO-8859-1 is converted), whatever the input.
  if (const auto decoded = decode_ext_value(text)) FUZZ_CHECK(is_valid_utf8(*decoded));

  // The same bytes fully percent-encoded decode back exactly when they are valid UTF-8, and as
  // ISO-8859-1 always (every byte is a Latin-1 character).
  const bool utf8 = is_valid_utf8(text);
  FUZZ_CHECK(utf8 == reference_utf8(text));
  const std::string escaped = hex_escaped(text.substr(0, 4096));
  const auto as_utf8 = decode_ext_value("UTF-8''" + escaped);
  FUZZ_CHECK(as_utf8.has_value() == is_valid_utf8(text.substr(0, 4096)));
  if (as_utf8) FUZZ_CHECK(*as_utf8 == text.substr(0, 4096));
  const auto as_latin1 = decode_ext_value("iso-8859-1'en'" + escaped);
  FUZZ_CHECK(as_latin1.has_value());
  FUZZ_CHECK(is_valid_utf8(*as_latin1));
  // ASCII is the same in both.
  if (utf8 && text.size() <= 4096) {
    bool ascii = true;
    for (const char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (ascii) FUZZ_CHECK(*as_latin1 == text);
  }
  return 0;
}
