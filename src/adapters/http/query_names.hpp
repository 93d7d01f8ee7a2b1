#pragma once
// The query parameters a route takes. As with JSON bodies (additionalProperties: false), a name
// the route does not read is refused rather than ignored: "?statuss=done" would otherwise list
// every job, and "?limit=1&limit=100" leaves the client guessing which of the two was taken.
#include <string>
#include <vector>

#include "adapters/http/url.hpp"

namespace imagesprint::http {

/// Throws HttpError 400 (invalid_request) naming the first parameter of `query` that is not in
/// `accepted` or that is given more than once; a parameter without a name ("?=x") is refused too.
void check_query_names(const QueryParams& query, const std::vector<std::string>& accepted);

}  // namespace imagesprint::http
