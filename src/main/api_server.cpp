#include "main/api_server.hpp"

#include <filesystem>

#include "adapters/http/api/routes.hpp"
#include "adapters/http/static_site.hpp"
#include "main/component_settings.hpp"
#include "main/openapi_document.hpp"
#include "main/service_metrics.hpp"

namespace imagesprint {
namespace {

namespace fs = std::filesystem;

/// Where the built web app is: the setting, else ./web/dist, else the checkout's web/dist beside
/// build/<preset>/imagesprint (so `make run` from anywhere finds it).
fs::path web_root(const std::string& setting) {
  if (!setting.empty()) return setting;
  std::error_code ec;
  if (fs::is_directory("web/dist", ec)) return fs::absolute("web/dist");
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path beside = exe.parent_path() / ".." / ".." / "web" / "dist";
    if (fs::is_directory(beside, ec)) return fs::weakly_canonical(beside, ec);
  }
  return fs::absolute("web/dist");
}

/// The object store's origin when downloads answer 302 to its presigned links (S3): the web
/// app's pages show those images (the full-size viewer), so their policy must allow it.
std::vector<std::string> download_origins(const ServiceConfig& config, ObjectStore& objects) {
  if (!config.api.download_redirect) return {};
  const PresignedUrl link = objects.presign_get("origin", std::chrono::seconds(60), "origin");
  const auto scheme = link.url.find("://");
  if (link.relative || scheme == std::string::npos) return {};
  return {link.url.substr(0, link.url.find('/', scheme + 3))};
}

}  // namespace

ApiServer::ApiServer(const ServiceConfig& config, Ports& ports, UseCases& use_cases,
                     prometheus::Registry& metrics, Routes routes)
    : context_{use_cases.accounts,
               *ports.jobs,
               *ports.objects,
               *ports.queue,
               *ports.events,
               *ports.notifications,
               *ports.secrets,
               metrics,
               upload_limits(config),
               system_now,
               ports.ready,
               config.http.public_url.starts_with("https://"),
               std::string(openapi_document())} {
  context_.webhooks = &use_cases.webhooks;
  context_.presets = &use_cases.presets;
  context_.resumable_uploads = &use_cases.resumable_uploads;
  context_.limits = api_limits(config);
  context_.guards = std::make_shared<api::ApiGuards>(context_.limits, ports.rate_limiters);
  context_.metrics_token = config.api.metrics_token;
  context_.download_redirect = config.api.download_redirect;
  context_.public_url = config.http.public_url;
  context_.trusted_origins = trusted_origins(config);
  http::Router router;
  if (routes == Routes::all) {
    api::add_api_routes(router, context_);
    router.fallback(
        http::static_site(web_root(config.api.web_dir), download_origins(config, *ports.objects)));
  } else {
    api::add_system_routes(router, context_);
  }
  http::ServerConfig settings = server_settings(config);
  settings.on_request = request_metrics(metrics);
  server_ = std::make_unique<http::HttpServer>(std::move(settings), std::move(router));
}

}  // namespace imagesprint
