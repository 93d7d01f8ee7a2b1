#include "adapters/s3/s3_xml.hpp"

#include <charconv>
#include <cstdint>

namespace imagesprint::s3 {
namespace {

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

}  // namespace

std::vector<std::string_view> xml_elements(std::string_view xml, std::string_view name) {
  const std::string open = "<" + std::string(name);
  const std::string close = "</" + std::string(name) + ">";
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (at < xml.size()) {
    const std::size_t start = xml.find(open, at);
    if (start == std::string_view::npos) break;
    const std::size_t after_name = start + open.size();
    // "<Key>", "<Key/>" or "<Key attr=...>", not "<KeyCount>".
    if (after_name >= xml.size() ||
        (xml[after_name] != '>' && xml[after_name] != ' ' && xml[after_name] != '/')) {
      at = after_name;
      continue;
    }
    const std::size_t content = xml.find('>', after_name);
    if (content == std::string_view::npos) break;
    if (xml[content - 1] == '/') {  // <Name/>: empty
      out.emplace_back();
      at = content + 1;
      continue;
    }
    const std::size_t end = xml.find(close, content + 1);
    if (end == std::string_view::npos) break;
    out.push_back(xml.substr(content + 1, end - content - 1));
    at = end + close.size();
  }
  return out;
}

std::optional<std::string> xml_text(std::string_view xml, std::string_view name) {
  const auto elements = xml_elements(xml, name);
  if (elements.empty()) return std::nullopt;
  return xml_unescape(elements.front());
}

std::string xml_unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out.push_back(text[i]);
      continue;
    }
    const std::size_t semi = text.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out.push_back('&');
      continue;
    }
    const std::string_view entity = text.substr(i + 1, semi - i - 1);
    if (entity == "amp") {
      out.push_back('&');
    } else if (entity == "lt") {
      out.push_back('<');
    } else if (entity == "gt") {
      out.push_back('>');
    } else if (entity == "quot") {
      out.push_back('"');
    } else if (entity == "apos") {
      out.push_back('\'');
    } else if (entity.size() > 1 && entity[0] == '#') {
      const bool hex = entity[1] == 'x' || entity[1] == 'X';
      const std::string_view digits = entity.substr(hex ? 2 : 1);
      std::uint32_t code = 0;
      const auto [end, error] =
          std::from_chars(digits.data(), digits.data() + digits.size(), code, hex ? 16 : 10);
      if (error != std::errc() || end != digits.data() + digits.size() || code > 0x10FFFF) {
        out.append(text.substr(i, semi - i + 1));
      } else {
        append_utf8(out, code);
      }
    } else {
      out.append(text.substr(i, semi - i + 1));
    }
    i = semi;
  }
  return out;
}

}  // namespace imagesprint::s3
