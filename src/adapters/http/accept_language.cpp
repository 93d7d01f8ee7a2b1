#include "adapters/http/accept_language.hpp"

#include <optional>

#include "adapters/http/ascii.hpp"

namespace imagesprint::http {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// A qvalue in thousandths: "0", "0.5", "1", "1.000"; nullopt when malformed.
std::optional<int> parse_q(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  if (text[0] != '0' && text[0] != '1') return std::nullopt;
  int thousandths = (text[0] - '0') * 1000;
  if (text.size() == 1) return thousandths;
  if (text[1] != '.') return std::nullopt;
  int scale = 100;
  for (std::size_t i = 2; i < text.size(); ++i, scale /= 10) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    thousandths += (text[i] - '0') * scale;
  }
  if (thousandths > 1000) return std::nullopt;  // "1.5"
  return thousandths;
}

/// The catalogue's language for a range, nullopt when it has none.
std::optional<Language> language_of(std::string_view range) {
  const std::string_view primary = range.substr(0, range.find('-'));
  if (primary == "*") return Language::en;
  if (iequals(primary, "ko")) return Language::ko;
  if (iequals(primary, "en")) return Language::en;
  return std::nullopt;
}

bool valid_range(std::string_view range) {
  if (range.empty() || range.size() > 35) return false;
  if (range == "*") return true;
  for (char c : range) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alpha && c != '-' && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

}  // namespace

Language pick_language(std::string_view header) {
  std::optional<Language> best;
  int best_q = 0;
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view item = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    if (item.empty()) continue;
    const std::size_t semicolon = item.find(';');
    const std::string_view range = trim(item.substr(0, semicolon));
    int q = 1000;
    bool malformed = !valid_range(range);
    if (semicolon != std::string_view::npos) {
      // Only "q" is defined as a parameter of a language range.
      const std::string_view param = trim(item.substr(semicolon + 1));
      const std::size_t equals = param.find('=');
      const auto parsed =
          equals == std::string_view::npos ? std::nullopt : parse_q(trim(param.substr(equals + 1)));
      if (!parsed || !iequals(trim(param.substr(0, equals)), "q")) malformed = true;
      if (parsed) q = *parsed;
    }
    if (malformed || q == 0) continue;
    const auto language = language_of(range);
    if (language && q > best_q) {
      best = language;
      best_q = q;
    }
  }
  return best.value_or(Language::en);
}

}  // namespace imagesprint::http
