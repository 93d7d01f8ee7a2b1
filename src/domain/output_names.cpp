#include "domain/output_names.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace imagesprint {
namespace {

constexpr std::size_t MAX_BASE_BYTES = 100;

/// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0 && c >= 0xC2)
    n = 2;
  else if ((c & 0xF0) == 0xE0)
    n = 3;
  else if ((c & 0xF8) == 0xF0 && c <= 0xF4)
    n = 4;
  else
    return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

std::string lower_ascii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::string safe_base_name(std::string_view name) {
  // Folders, from either kind of separator.
  const auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name = name.substr(slash + 1);
  const auto dot = name.rfind('.');
  if (dot != std::string_view::npos && dot > 0) name = name.substr(0, dot);

  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t n = utf8_length(name, i);
    const auto c = static_cast<unsigned char>(name[i]);
    std::string_view piece = n ? name.substr(i, n) : std::string_view("_");
    if (n == 1 &&
        (c < 0x20 || c == 0x7F ||
         std::string_view("<>:\"/\\|?*").find(static_cast<char>(c)) != std::string_view::npos)) {
      piece = "_";
    }
    if (out.size() + piece.size() > MAX_BASE_BYTES) break;
    out += piece;
    i += n ? n : 1;
  }
  const auto first = out.find_first_not_of(". ");
  out = first == std::string::npos ? "" : out.substr(first);
  while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
  return out.empty() ? "image" : out;
}

std::vector<std::string> unique_output_names(const std::vector<NameRequest>& requests,
                                             const std::vector<std::string>& taken_already) {
  std::vector<std::string> names;
  std::set<std::string> taken;  // lower-cased
  for (const std::string& name : taken_already) taken.insert(lower_ascii(name));
  names.reserve(requests.size());
  for (const NameRequest& r : requests) {
    const std::string base = safe_base_name(r.source_name);
    std::string name = base + "." + r.extension;
    for (int n = 1; taken.contains(lower_ascii(name)); ++n)
      name = base + "-" + std::to_string(n) + "." + r.extension;
    taken.insert(lower_ascii(name));
    names.push_back(name);
  }
  return names;
}

}  // namespace imagesprint
