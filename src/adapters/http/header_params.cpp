#include "adapters/http/header_params.hpp"

#include <algorithm>

#include "domain/untrusted_text.hpp"

namespace imagesprint::http {
namespace {

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowered(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

void skip_ows(std::string_view text, std::size_t& i) {
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
}

std::string_view read_token(std::string_view text, std::size_t& i) {
  const std::size_t start = i;
  while (i < text.size() && is_tchar(text[i])) ++i;
  return text.substr(start, i - start);
}

/// A media type ("multipart/form-data") is two tokens around a slash; a disposition is one.
std::string_view read_value(std::string_view text, std::size_t& i) {
  const std::size_t start = i;
  if (read_token(text, i).empty()) return {};
  if (i < text.size() && text[i] == '/') {
    ++i;
    if (read_token(text, i).empty()) return {};
  }
  return text.substr(start, i - start);
}

std::optional<std::string> read_quoted(std::string_view text, std::size_t& i) {
  std::string out;
  ++i;  // the opening quote
  while (i < text.size()) {
    const char c = text[i++];
    if (c == '"') return out;
    if (c == '\\' && i < text.size() && (text[i] == '"' || text[i] == '\\')) {
      out += text[i++];
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7f) return std::nullopt;  // CTLs are not text
    out += c;
  }
  return std::nullopt;  // no closing quote
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// RFC 8187 attr-char: the characters allowed unencoded in an ext-value.
bool is_attr_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
}

}  // namespace

const std::string* HeaderValue::param(std::string_view name) const {
  for (const auto& [n, v] : params) {
    if (n == name) return &v;
  }
  return nullptr;
}

std::optional<HeaderValue> parse_header_value(std::string_view text) {
  HeaderValue out;
  std::size_t i = 0;
  skip_ows(text, i);
  const std::string_view value = read_value(text, i);
  if (value.empty()) return std::nullopt;
  out.value = lowered(value);
  for (;;) {
    skip_ows(text, i);
    if (i == text.size()) return out;
    if (text[i] != ';') return std::nullopt;
    ++i;
    skip_ows(text, i);
    if (i == text.size()) return out;  // a trailing ';' is harmless
    if (text[i] == ';') continue;      // so is an empty parameter
    const std::string name = lowered(read_token(text, i));
    if (name.empty()) return std::nullopt;
    skip_ows(text, i);
    if (i == text.size() || text[i] != '=') return std::nullopt;
    ++i;
    skip_ows(text, i);
    std::string param_value;
    if (i < text.size() && text[i] == '"') {
      auto quoted = read_quoted(text, i);
      if (!quoted) return std::nullopt;
      param_value = std::move(*quoted);
    } else {
      const std::string_view token = read_token(text, i);
      if (token.empty()) return std::nullopt;
      param_value = token;
    }
    if (out.param(name)) return std::nullopt;
    out.params.emplace_back(name, std::move(param_value));
  }
}

std::optional<std::string> decode_ext_value(std::string_view text) {
  const auto first = text.find('\'');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = text.find('\'', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const std::string charset = lowered(text.substr(0, first));
  const bool utf8 = charset == "utf-8";
  if (!utf8 && charset != "iso-8859-1") return std::nullopt;
  std::string bytes;
  for (std::size_t i = second + 1; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;  // needs two hex digits
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      bytes += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (is_attr_char(c)) {
      bytes += c;
    } else {
      return std::nullopt;
    }
  }
  if (utf8) {
    if (!is_valid_utf8(bytes)) return std::nullopt;
    return bytes;
  }
  std::string converted;  // ISO-8859-1 is the first 256 code points: one or two UTF-8 bytes each
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      converted += c;
    } else {
      converted += static_cast<char>(0xC0 | (byte >> 6));
      converted += static_cast<char>(0x80 | (byte & 0x3F));
    }
  }
  return converted;
}

}  // namespace imagesprint::http
