// Fuzzes the names outputs get from the client's file names (src/domain/output_names.cpp):
// safe_base_name and unique_output_names. A name they give becomes a ZIP entry flagged UTF-8, a
// Content-Disposition and a file in the folder `imagesprint convert` writes to, so every name
// must be safe on any system, checked here against an independent reading of the rules.
// Input: the file names, one per line; the first byte (mod 3) picks the extension.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/output_names.hpp"
#include "domain/untrusted_text.hpp"
#include "fuzz_support.hpp"

namespace {

using imagesprint::NameRequest;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

/// Windows' device names, spelt out: what may stand before a name's first dot nowhere.
bool reference_device(std::string_view stem) {
  while (!stem.empty() && stem.back() == ' ') stem.remove_suffix(1);
  static const std::set<std::string> DEVICES = [] {
    std::set<std::string> names{"con", "prn", "aux", "nul"};
    for (const std::string prefix : {"com", "lpt"}) {
      for (char digit = '0'; digit <= '9'; ++digit) names.insert(prefix + digit);
      for (const char* superscript : {"\xC2\xB9", "\xC2\xB2", "\xC2\xB3"}) {
        names.insert(prefix + superscript);
      }
    }
    return names;
  }();
  return DEVICES.contains(lower(stem));
}

/// The promises of output_names.hpp for one base name, at most `max_bytes` long.
void check_base(std::string_view base, std::size_t max_bytes) {
  FUZZ_CHECK(!base.empty());
  FUZZ_CHECK(base.size() <= max_bytes);
  FUZZ_CHECK(imagesprint::is_valid_utf8(base));
  for (const char c : base) {
    const auto byte = static_cast<unsigned char>(c);
    FUZZ_CHECK(byte >= 0x20 && byte != 0x7F);
    FUZZ_CHECK(std::string_view("<>:\"/\\|?*").find(c) == std::string_view::npos);
  }
  FUZZ_CHECK(base.front() != '.' && base.front() != ' ');
  FUZZ_CHECK(base.back() != '.' && base.back() != ' ');
  FUZZ_CHECK(!reference_device(base.substr(0, base.find('.'))));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const char* const EXTENSIONS[] = {"webp", "jpg", "png"};
  const std::string extension = EXTENSIONS[data[0] % 3];
  std::string_view rest = imagesprint::fuzz::as_text(data + 1, size - 1);
  std::vector<NameRequest> requests;
  while (requests.size() < 60) {  // a job has at most 50 files; a folder may have more
    const auto [name, after] = imagesprint::fuzz::split_first_line(rest);
    check_base(imagesprint::safe_base_name(name), 100);
    requests.push_back({std::string(name), extension});
    if (after.empty()) break;
    rest = after;
  }
  const std::vector<std::string> names = imagesprint::unique_output_names(requests, {"a.webp"});
  FUZZ_CHECK(names.size() == requests.size());
  std::set<std::string> seen{"a.webp"};
  for (const std::string& name : names) {
    FUZZ_CHECK(name.size() > extension.size() + 1);
    FUZZ_CHECK(name.ends_with("." + extension));
    check_base(name.substr(0, name.size() - extension.size() - 1), 100 + 3);  // "-NN" for repeats
    FUZZ_CHECK(seen.insert(lower(name)).second);  // unique, ASCII case ignored
  }
  return 0;
}
