#include "domain/json_text.hpp"

#include <set>
#include <vector>

#include "domain/untrusted_text.hpp"

namespace imagesprint {
namespace {

/// Thrown from the parser callback to stop at the first level too deep (the parser's own
/// exceptions carry no such reason).
struct TooDeep {};

/// Thrown from the parser callback at a name given twice in one object.
struct NameTwice {
  std::string name;
};

}  // namespace

JsonParse parse_untrusted_json(std::string_view text, int max_depth) {
  using nlohmann::json;
  JsonParse result;
  // nlohmann's parser is iterative; the callback sees each container as it opens, with the
  // depth of the container itself (0 for the outermost), so nothing deeper is ever built.
  // A name given twice in one object is refused too: nlohmann keeps the last, another reader (a
  // proxy, a log pipeline, a client's own check) may keep the first, and the two would act on
  // different requests. The names of each open object, by depth: a key comes with the depth of
  // its object plus one, and an object opening at depth d starts the names at d + 1 afresh.
  std::vector<std::set<std::string, std::less<>>> names;
  const json::parser_callback_t limit = [max_depth, &names](int depth, json::parse_event_t event,
                                                            json& parsed) {
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        depth >= max_depth) {
      throw TooDeep{};
    }
    const auto level = static_cast<std::size_t>(depth);
    if (event == json::parse_event_t::object_start) {
      if (names.size() < level + 2) names.resize(level + 2);
      names[level + 1].clear();
    } else if (event == json::parse_event_t::key && level < names.size() &&
               !names[level].insert(parsed.get<std::string>()).second) {
      throw NameTwice{parsed.get<std::string>()};
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
  } catch (const NameTwice& twice) {
    result.error = "ambiguous: the name \"" + cut_code_points(twice.name, 64) +
                   "\" is given twice in one object";
  }
  return result;
}

std::string dump_json(const nlohmann::json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace imagesprint
