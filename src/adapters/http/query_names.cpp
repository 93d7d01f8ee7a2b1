#include "adapters/http/query_names.hpp"

#include <algorithm>

#include "adapters/http/http_error.hpp"
#include "domain/messages.hpp"
#include "domain/untrusted_text.hpp"

namespace imagesprint::http {
namespace {

[[noreturn]] void refuse(const std::string& key, const nlohmann::json& params,
                         const std::string& name) {
  throw HttpError(Status::bad_request, "invalid_request",
                  render_message(key, params, Language::en).value_or(key), name)
      .with_message(key, params);
}

}  // namespace

void check_query_names(const QueryParams& query, const std::vector<std::string>& accepted) {
  const auto& items = query.items();
  for (auto item = items.begin(); item != items.end(); ++item) {
    const std::string& name = item->first;
    if (name.empty()) refuse("error.invalid_request.nameless_query", {}, "");  // "?=x"
    // The client's text: at most 64 code points of it in the answer.
    const std::string shown = cut_code_points(name, 64);
    if (std::find(accepted.begin(), accepted.end(), name) == accepted.end()) {
      if (accepted.empty()) refuse("error.invalid_request.no_query", {{"name", shown}}, shown);
      std::string expected;
      for (const std::string& a : accepted) expected += (expected.empty() ? "" : ", ") + a;
      refuse("error.invalid_request.unknown_query", {{"name", shown}, {"expected", expected}},
             shown);
    }
    const auto same = [&name](const auto& other) { return other.first == name; };
    if (std::any_of(items.begin(), item, same)) {
      refuse("error.invalid_request.repeated_query", {{"name", shown}}, shown);
    }
  }
}

}  // namespace imagesprint::http
