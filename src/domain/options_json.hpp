#pragma once
// ConversionOptions <-> JSON. The one place where user-supplied option values are checked: every
// problem becomes an Error with code invalid_option naming the field (dotted for nested ones,
// e.g. "watermark.opacity"), what was expected and what was given.
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "domain/conversion_options.hpp"
#include "domain/expected.hpp"

namespace imagesprint {

/// Parses and validates options. Unknown keys are refused (a typo must not be silently ignored).
Expected<ConversionOptions> parse_options(const nlohmann::json& json);
/// The same from JSON text; malformed JSON is an error on the field "options".
Expected<ConversionOptions> parse_options(std::string_view json_text);

/// The canonical JSON form: parse_options(to_json(o)) == o.
nlohmann::json to_json(const ConversionOptions& options);

}  // namespace imagesprint
