#pragma once
// Serves a built single-page web app (web/dist) from a folder: its files as they are, and
// index.html for any other GET path outside the API, so the browser app's own routes
// (/jobs/abc) load on a reload. Hashed build files under /assets/ are cached for a year; the
// rest revalidates. Paths under /v1/ stay JSON 404s.
#include <filesystem>
#include <string>
#include <vector>

#include "adapters/http/router.hpp"

namespace imagesprint::http {

/// A Router::fallback handler serving `root`. When root/index.html is missing it answers a JSON
/// 404 that says the web app is not built. `image_origins`: other origins the pages may show
/// images from (the object store's, when downloads answer 302 to its presigned links).
Handler static_site(std::filesystem::path root, std::vector<std::string> image_origins = {});

/// The Content-Type of a web file by its extension (application/octet-stream when unknown).
std::string_view web_content_type(const std::filesystem::path& file);

}  // namespace imagesprint::http
