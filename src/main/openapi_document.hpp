#pragma once
#include <string_view>

namespace imagesprint {

/// The OpenAPI 3.1 document (src/adapters/http/api/openapi.json), embedded at build time.
std::string_view openapi_document();

}  // namespace imagesprint
