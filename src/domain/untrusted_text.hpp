#pragma once
// Text that came from a client (file names, job names, option values) on its way into JSON,
// logs and error messages. Such text may be invalid UTF-8, arbitrarily long or deeply nested:
// these helpers make it safe to store, cut and quote without ever failing on it.
#include <cstddef>
#include <string>
#include <string_view>

namespace imagesprint {

/// Length of the well-formed UTF-8 sequence that starts at byte `at` of `text` (1 to 4), or 0
/// when the bytes there are not one (by the Unicode standard's table 3-7).
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

/// Whether `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

/// `text` with every ill-formed byte sequence replaced by U+FFFD (the Unicode "maximal subpart"
/// practice, as nlohmann's error_handler_t::replace does): always valid UTF-8.
std::string to_valid_utf8(std::string_view text);

/// How many code points valid UTF-8 `text` has (its continuation bytes are not counted).
std::size_t code_points(std::string_view text);

/// The first `max_code_points` code points of valid UTF-8 `text`; never cuts inside a character.
/// Invalid input is made valid first.
std::string cut_code_points(std::string_view text, std::size_t max_code_points);

/// A short, valid UTF-8 rendering of client text for an error message: quoted, at most
/// `max_code_points` code points of it, "..." after the quote when cut.
std::string quote_prefix(std::string_view text, std::size_t max_code_points = 40);

/// `text` as character data in XML and Pango markup: & < > " ' become entities, so user text
/// can never open a tag (watermark text) or end an element (S3 request bodies).
std::string escape_markup(std::string_view text);

}  // namespace imagesprint
