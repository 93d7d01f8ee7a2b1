// Fuzzes request-target parsing (src/adapters/http/url.*): split_target, QueryParams::parse,
// percent_decode (with and without '+' as space), percent_encode and check_query_names, with the
// properties the router and handlers rely on.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/http/http_error.hpp"
#include "adapters/http/query_names.hpp"
#include "adapters/http/url.hpp"
#include "domain/untrusted_text.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace imagesprint::http;

bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/// Whether every '%' starts a complete %XX escape.
bool escapes_well_formed(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') continue;
    if (i + 2 >= text.size()) return false;
    if (!is_hex(text[i + 1]) || !is_hex(text[i + 2])) return false;
    i += 2;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = imagesprint::fuzz::as_text(data, size);

  // Encoding is total and leaves only unreserved characters and escapes; decoding undoes it.
  const std::string encoded = percent_encode(text);
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '%') {
      FUZZ_CHECK(i + 2 < encoded.size() && is_hex(encoded[i + 1]) && is_hex(encoded[i + 2]));
      i += 2;
    } else {
      FUZZ_CHECK(is_unreserved(encoded[i]));
    }
  }
  const auto round_trip = percent_decode(encoded);
  FUZZ_CHECK(round_trip.has_value() && *round_trip == text);
  const auto round_trip_plus = percent_decode(encoded, true);
  FUZZ_CHECK(round_trip_plus.has_value() && *round_trip_plus == text);

  // Decoding fails exactly on a malformed escape, and never grows the text.
  const auto decoded = percent_decode(text);
  FUZZ_CHECK(decoded.has_value() == escapes_well_formed(text));
  if (decoded) FUZZ_CHECK(decoded->size() <= text.size());
  const auto decoded_plus = percent_decode(text, true);
  FUZZ_CHECK(decoded_plus.has_value() == decoded.has_value());

  if (const auto target = split_target(text)) {
    FUZZ_CHECK(text.starts_with('/'));
    FUZZ_CHECK(target->path.starts_with('/'));
    FUZZ_CHECK(target->path.find_first_of("?#") == std::string_view::npos);
    FUZZ_CHECK(target->query.find('#') == std::string_view::npos);
    // Views into the target, never copies: the request outlives them.
    FUZZ_CHECK(target->path.data() == text.data());
    if (const auto query = QueryParams::parse(target->query)) {
      for (const auto& [name, value] : query->items()) {
        FUZZ_CHECK(query->contains(name));
        FUZZ_CHECK(!query->get_all(name).empty());
        (void)value;
      }
    }
  } else {
    FUZZ_CHECK(text.empty() || text.front() != '/');
  }

  // Any text as a query string: parses exactly when its escapes are well formed (the '&' and '='
  // around them do not matter), and every non-empty pair becomes one item.
  // ('&' and '=' are not hex digits, so no well-formed escape spans two pairs.)
  const auto query = QueryParams::parse(text);
  FUZZ_CHECK(query.has_value() == escapes_well_formed(text));
  if (query) {
    std::size_t pairs = 0;
    std::string_view rest = text;
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      if (amp != 0) ++pairs;
      if (amp == std::string_view::npos) break;
      rest.remove_prefix(amp + 1);
    }
    FUZZ_CHECK(query->items().size() == pairs);

    // A route taking "a" and "b" refuses exactly a query with another name or one given twice,
    // naming it in at most 64 code points of valid UTF-8.
    std::size_t a = 0, b = 0;
    bool stray = false;
    for (const auto& item : query->items()) {
      a += item.first == "a" ? 1 : 0;
      b += item.first == "b" ? 1 : 0;
      stray = stray || (item.first != "a" && item.first != "b");
    }
    bool refused = false;
    try {
      check_query_names(*query, {"a", "b"});
    } catch (const HttpError& error) {
      refused = true;
      FUZZ_CHECK(error.status() == Status::bad_request);
      FUZZ_CHECK(imagesprint::is_valid_utf8(error.field()));
      FUZZ_CHECK(imagesprint::cut_code_points(error.field(), 64) == error.field());
    }
    FUZZ_CHECK(refused == (stray || a > 1 || b > 1));
  }
  return 0;
}
