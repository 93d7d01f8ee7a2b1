#include "domain/output_names.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "domain/untrusted_text.hpp"

namespace imagesprint {
namespace {

constexpr std::size_t MAX_BASE_BYTES = 100;

std::string lower_ascii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/// Whether Windows keeps `stem` (a name up to its first dot) for a device: CON, PRN, AUX, NUL,
/// COM0-9 and LPT0-9 (and COM or LPT with a superscript 1, 2 or 3), in any case, trailing spaces
/// ignored. Windows cannot create a file of that name with any extension.
bool is_windows_device_name(std::string_view stem) {
  while (!stem.empty() && stem.back() == ' ') stem.remove_suffix(1);
  const std::string name = lower_ascii(std::string(stem));
  if (name == "con" || name == "prn" || name == "aux" || name == "nul") return true;
  if (!name.starts_with("com") && !name.starts_with("lpt")) return false;
  const std::string_view number = std::string_view(name).substr(3);
  return (number.size() == 1 && number[0] >= '0' && number[0] <= '9') || number == "\xC2\xB9" ||
         number == "\xC2\xB2" || number == "\xC2\xB3";
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
    const std::size_t n = utf8_sequence_length(name, i);
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
  // A device name gets an underscore after it, in place of its dot when it has one, so the
  // name stays within its bound.
  const auto stem_end = out.find('.');
  if (is_windows_device_name(std::string_view(out).substr(0, stem_end))) {
    if (stem_end == std::string::npos) {
      out += '_';
    } else {
      out[stem_end] = '_';
    }
  }
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
