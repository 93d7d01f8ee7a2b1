#include "main/component_settings.hpp"

#include <algorithm>

namespace imagesprint {

int worker_threads(const ServiceConfig& config) {
  return config.work.worker_threads();
}

EngineConfig engine_config(const ServiceConfig& config) {
  EngineConfig engine;
  engine.memory_budget =
      static_cast<std::uint64_t>(config.work.conversion_memory_mib) * 1024 * 1024;
  return engine;
}

WorkerSettings worker_settings(const ServiceConfig& config) {
  WorkerSettings settings;
  settings.lease = std::chrono::seconds(config.work.queue_lease);
  settings.result_ttl = std::chrono::seconds(config.retention.result_ttl);
  settings.limits.max_input_pixels = static_cast<std::uint64_t>(config.uploads.max_pixels);
  settings.limits.max_input_bytes = static_cast<std::uint64_t>(config.uploads.max_file_bytes);
  settings.limits.max_output_pixels = static_cast<std::uint64_t>(config.uploads.max_output_pixels);
  return settings;
}

UploadLimits upload_limits(const ServiceConfig& config) {
  UploadLimits limits;
  limits.max_files = config.uploads.max_files;
  limits.max_file_bytes = config.uploads.max_file_bytes;
  limits.engine = worker_settings(config).limits;
  limits.quotas = UserQuotas{config.quotas.max_active_jobs, config.quotas.max_queued_images,
                             config.quotas.max_stored_bytes};
  limits.max_await_millis = static_cast<std::int64_t>(config.http.request_timeout) * 1000;
  return limits;
}

WebhookSettings webhook_settings(const ServiceConfig& config) {
  WebhookSettings settings;
  settings.retry_base_seconds = config.webhooks.webhook_retry_base;
  settings.max_attempts = config.webhooks.webhook_max_attempts;
  settings.disable_after = config.webhooks.webhook_disable_after;
  settings.lease = std::chrono::seconds(config.webhooks.webhook_timeout * 3);
  settings.max_per_user = config.quotas.max_webhooks;
  settings.max_fan_out = config.quotas.max_webhooks;
  return settings;
}

AccountsConfig accounts_settings(const ServiceConfig& config) {
  return AccountsConfig{std::chrono::seconds(config.accounts.session_ttl),
                        config.accounts.login_attempts_per_minute};
}

PresetSettings preset_settings(const ServiceConfig& config) {
  return PresetSettings{config.quotas.max_presets};
}

JanitorSettings janitor_settings(const ServiceConfig& config) {
  return JanitorSettings{std::chrono::seconds(config.retention.janitor_interval),
                         config.abandoned_upload_after()};
}

WebhookDispatcherSettings webhook_dispatcher_settings(const ServiceConfig& config) {
  return WebhookDispatcherSettings{config.webhooks.webhook_dispatchers};
}

api::ApiLimits api_limits(const ServiceConfig& config) {
  const ApiSettings& api = config.api;
  return api::ApiLimits{api.previews_per_user, api.previews_at_once, api.event_streams_per_user,
                        api.signups_per_hour,  api.password_hashers, api.password_queue};
}

http::ServerConfig server_settings(const ServiceConfig& service) {
  const HttpSettings& config = service.http;
  http::ServerConfig server;
  server.host = config.host();
  server.port = static_cast<std::uint16_t>(config.port());
  server.threads = static_cast<std::size_t>(config.http_threads);
  server.max_connections = static_cast<std::size_t>(config.max_connections);
  server.header_timeout = std::chrono::seconds(config.header_timeout);
  server.idle_timeout = std::chrono::seconds(config.idle_timeout);
  server.sse_heartbeat = std::chrono::seconds(config.sse_heartbeat);
  server.sse_max_lifetime = std::chrono::seconds(config.sse_max_lifetime);
  server.request_timeout = std::chrono::seconds(config.request_timeout);
  server.min_body_rate = static_cast<std::uint64_t>(config.min_body_rate);
  server.max_connections_per_address = static_cast<std::size_t>(config.max_connections_per_address);
  for (std::size_t at = 0; at <= config.trusted_proxies.size();) {
    const std::size_t comma =
        std::min(config.trusted_proxies.find(',', at), config.trusted_proxies.size());
    if (comma > at) server.trusted_proxies.push_back(config.trusted_proxies.substr(at, comma - at));
    at = comma + 1;
  }
  return server;
}

std::vector<std::string> trusted_origins(const ServiceConfig& config) {
  const std::string& url = config.http.public_url;
  if (url.empty()) return {};
  // The origin of the public URL: scheme://host[:port], no path.
  const auto host_start = url.find("://") + 3;
  return {url.substr(0, url.find('/', host_start))};
}

}  // namespace imagesprint
