#pragma once
// JSON from clients in, JSON with client text out. Parsing has a nesting limit (a body of
// 100,000 '[' must be refused, not walked: serialising it recurses once per level); dumping
// never throws on invalid UTF-8 (client text is stored as it came; nlohmann's default handler
// would throw type_error.316 on it).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace imagesprint {

/// Deepest nesting of arrays and objects accepted from a client. Our own documents nest at most
/// 3 levels (options.watermark.*); 32 leaves room without letting recursion matter.
inline constexpr int MAX_JSON_DEPTH = 32;

struct JsonParse {
  std::optional<nlohmann::json> value;  // set when the text parsed
  std::string error;                    // why not: "not valid JSON" or "nested too deeply"
};

/// Parses untrusted JSON text, refusing nesting deeper than `max_depth`.
JsonParse parse_untrusted_json(std::string_view text, int max_depth = MAX_JSON_DEPTH);

/// Serialises JSON that may hold client text: ill-formed UTF-8 becomes U+FFFD, never an exception.
std::string dump_json(const nlohmann::json& value, int indent = -1);

}  // namespace imagesprint
