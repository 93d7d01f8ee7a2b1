#include "adapters/http/static_site.hpp"

#include <array>
#include <string>
#include <system_error>
#include <utility>

#include "adapters/http/url.hpp"

namespace imagesprint::http {

namespace fs = std::filesystem;

namespace {

// The browser app's own pages must not be framed or sniffed; its scripts and styles come only
// from this origin (the build inlines nothing; images may be blob: previews, or an image the API
// redirected to the object store).
std::string content_security_policy(const std::vector<std::string>& image_origins) {
  std::string images = "img-src 'self' blob: data:";
  for (const std::string& origin : image_origins) images += " " + origin;
  return "default-src 'self'; " + images +
         "; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; "
         "base-uri 'self'; form-action 'self'";
}

/// The file under `root` for a decoded URL path, or nullopt when the path tries to leave it or
/// names no regular file. ("..", "." and empty segments are refused before touching the disk.)
std::optional<fs::path> file_under(const fs::path& root, std::string_view path) {
  fs::path relative;
  std::size_t start = 1;
  while (start <= path.size()) {
    const auto end = std::min(path.find('/', start), path.size());
    const auto segment = path.substr(start, end - start);
    if (segment == ".." || segment == "." || segment.find('\\') != std::string_view::npos ||
        segment.find('\0') != std::string_view::npos) {
      return std::nullopt;
    }
    if (!segment.empty()) relative /= std::string(segment);
    start = end + 1;
  }
  if (relative.empty()) return std::nullopt;
  const fs::path file = root / relative;
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return std::nullopt;
  return file;
}

Response serve_file(const fs::path& file, bool immutable, const std::string& policy) {
  Response response = Response::file(file, std::string(web_content_type(file)));
  response.set(Field::cache_control,
               immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.set("X-Content-Type-Options", "nosniff");
  if (file.extension() == ".html") {
    response.set("Content-Security-Policy", policy);
    response.set("Referrer-Policy", "same-origin");
  }
  return response;
}

}  // namespace

std::string_view web_content_type(const fs::path& file) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> TYPES{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
      {".wasm", "application/wasm"},
  }};
  const std::string ext = file.extension().string();
  for (const auto& [suffix, type] : TYPES) {
    if (ext == suffix) return type;
  }
  return "application/octet-stream";
}

Handler static_site(fs::path root, std::vector<std::string> image_origins) {
  return [root = std::move(root), policy = content_security_policy(image_origins)](
             Request& request) -> net::awaitable<Response> {
    const auto path = percent_decode(request.path());
    if (!path || path->starts_with("/v1/") || *path == "/v1") {
      co_return Response::error(Status::not_found, "not_found",
                                "no route for " + std::string(request.path()));
    }
    if (auto file = file_under(root, *path)) {
      co_return serve_file(*file, path->starts_with("/assets/"), policy);
    }
    const fs::path index = root / "index.html";
    std::error_code ec;
    if (!fs::is_regular_file(index, ec)) {
      co_return Response::error(Status::not_found, "not_found",
                                "the web app is not built here (make web builds web/dist)");
    }
    // A missing hashed asset is a real 404 (a stale page after a deploy), not the app shell.
    if (path->starts_with("/assets/")) {
      co_return Response::error(Status::not_found, "not_found", "no such file");
    }
    co_return serve_file(index, false, policy);
  };
}

}  // namespace imagesprint::http
