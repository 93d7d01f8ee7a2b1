#include "domain/json_text.hpp"

namespace imagesprint {
namespace {

/// Thrown from the parser callback to stop at the first level too deep (the parser's own
/// exceptions carry no such reason).
struct TooDeep {};

}  // namespace

JsonParse parse_untrusted_json(std::string_view text, int max_depth) {
  using nlohmann::json;
  JsonParse result;
  // nlohmann's parser is iterative; the callback sees each container as it opens, with the
  // depth of the container itself (0 for the outermost), so nothing deeper is ever built.
  const json::parser_callback_t limit = [max_depth](int depth, json::parse_event_t event, json&) {
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        depth >= max_depth) {
      throw TooDeep{};
    }
    return true;
  };
  try {
    auto value = json::parse(text, limit, /*allow_exceptions=*/false);
    if (value.is_discarded()) {
      result.error = "not valid JSON";
    } else {
      result.value = std::move(value);
    }
  } catch (const TooDeep&) {
    result.error = "nested more than " + std::to_string(max_depth) + " levels deep";
  }
  return result;
}

std::string dump_json(const nlohmann::json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace imagesprint
