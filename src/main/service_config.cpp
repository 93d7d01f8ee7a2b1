#include "main/service_config.hpp"

#include <algorithm>
#include <stdexcept>
#include <type_traits>

#include <toml++/toml.h>

namespace imagesprint {
namespace {

template <typename T>
void option(CLI::App& app, const std::string& name, T& value, const std::string& help) {
  std::string flag = "--" + name;
  std::string env = "IMAGESPRINT_" + name;
  for (char& c : flag) {
    if (c == '_') c = '-';
  }
  for (char& c : env) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if constexpr (std::is_same_v<T, bool>) {
    // A switch: "--webhook-allow-private" alone turns it on ("=false" turns it off); the
    // environment and the file take true/false.
    app.add_flag(flag, value, help)->envname(env)->capture_default_str();
  } else {
    app.add_option(flag, value, help)->envname(env)->capture_default_str();
  }
}

void require(bool ok, const std::string& setting, const std::string& expected) {
  if (!ok) throw std::invalid_argument("setting " + setting + ": expected " + expected);
}

}  // namespace

void add_service_options(CLI::App& app, ServiceConfig& c, std::string& config_file) {
  app.add_option("--config", config_file,
                 "TOML file with settings (keys as the flags, with underscores)")
      ->envname("IMAGESPRINT_CONFIG");
  option(app, "listen", c.listen, "HOST:PORT to listen on (port 0 picks a free one)");
  option(app, "public_url", c.public_url, "Base URL for links in notifications and webhooks");
  option(app, "http_threads", c.http_threads, "HTTP IO threads (0 = cores)");
  option(app, "max_connections", c.max_connections, "Open connections at most (503 beyond)");
  option(app, "header_timeout", c.header_timeout, "Seconds to receive a request's headers");
  option(app, "idle_timeout", c.idle_timeout, "Seconds a keep-alive connection may stay idle");
  option(app, "request_timeout", c.request_timeout, "Seconds to receive a whole request body");
  option(app, "min_body_rate", c.min_body_rate,
         "Bytes per second a request body must average over 30 s (0 = no minimum)");
  option(app, "max_connections_per_address", c.max_connections_per_address,
         "Open connections from one client address at most");
  option(app, "trusted_proxies", c.trusted_proxies,
         "Load balancers (addresses or CIDR networks, comma-separated) whose X-Forwarded-For "
         "names the client");
  option(app, "sse_heartbeat", c.sse_heartbeat, "Seconds between Server-Sent Events heartbeats");
  option(app, "sse_max_lifetime", c.sse_max_lifetime,
         "Seconds an event stream lasts; the client then reconnects with Last-Event-ID");
  option(app, "metrics_token", c.metrics_token,
         "Bearer token that /metrics requires (empty: only clients on this machine)");
  option(app, "data", c.data, "Folder for the SQLite database and the stored objects");
  option(app, "database", c.database,
         "The records: sqlite:PATH or mysql://USER:PASS@HOST:PORT/DB (MariaDB too; default: "
         "sqlite:<data>/imagesprint.db)");
  option(app, "queue", c.queue,
         "The task queue: sqlite (the database's file) or redis://HOST:PORT[/DB]");
  option(app, "events", c.events,
         "Live events: memory or redis://HOST:PORT[/DB] (default: the queue's Redis, else memory)");
  option(app, "redis_prefix", c.redis_prefix,
         "What every Redis key of this deployment starts with (queue and events)");
  option(app, "objects", c.objects,
         "Where objects live: file:DIR or s3://BUCKET[/PREFIX]?endpoint=URL&region=R&path_style="
         "true (default: file:<data>/objects)");
  option(app, "s3_access_key_id", c.s3_access_key_id,
         "S3 access key id (default: the AWS_ACCESS_KEY_ID environment variable)");
  option(app, "s3_secret_access_key", c.s3_secret_access_key,
         "S3 secret access key (default: AWS_SECRET_ACCESS_KEY)");
  option(app, "download_redirect", c.download_redirect,
         "With S3, downloads answer 302 to a presigned URL instead of streaming through the API");
  option(app, "web_dir", c.web_dir,
         "Folder of the built web app served at / (default: ./web/dist, else the checkout's)");
  option(app, "workers", c.workers, "Images converted at once (0 = cores)");
  option(app, "worker_nice", c.worker_nice,
         "Nice levels the conversion threads run below the HTTP IO threads (0 to 19)");
  option(app, "queue_lease", c.queue_lease,
         "Seconds a task stays leased before it is delivered again");
  option(app, "max_deliveries", c.max_deliveries,
         "Deliveries of a task before its image is marked failed");
  option(app, "max_images_in_flight_per_user", c.max_images_in_flight_per_user,
         "Images of one user converted at once (0 = no cap; users are served in turn anyway)");
  option(app, "conversion_memory_mib", c.conversion_memory_mib,
         "MiB all conversions may take at once, by their estimated peaks; a conversion waits for "
         "its share (0 = no budget)");
  option(app, "max_files", c.max_files, "Files per job");
  option(app, "max_file_bytes", c.max_file_bytes, "Bytes per uploaded file");
  option(app, "max_pixels", c.max_pixels, "Pixels per input image (from its header)");
  option(app, "max_output_pixels", c.max_output_pixels,
         "Pixels per output image (from the input's header and the options)");
  option(app, "previews_per_user", c.previews_per_user, "Live previews rendered at once per user");
  option(app, "previews_at_once", c.previews_at_once, "Live previews rendered at once in all");
  option(app, "event_streams_per_user", c.event_streams_per_user,
         "Open event streams (SSE) per user");
  option(app, "signups_per_hour", c.signups_per_hour,
         "Accounts created per client address per hour");
  option(app, "password_hashers", c.password_hashers, "Threads that hash passwords");
  option(app, "password_queue", c.password_queue,
         "Sign-ups and log-ins in flight at most (503 beyond)");
  option(app, "max_active_jobs", c.max_active_jobs, "Jobs queued or running per user");
  option(app, "max_queued_images", c.max_queued_images, "Images waiting for conversion per user");
  option(app, "max_stored_bytes", c.max_stored_bytes, "Bytes of inputs and outputs kept per user");
  option(app, "max_webhooks", c.max_webhooks, "Webhooks per user");
  option(app, "max_presets", c.max_presets, "Presets (named conversion options) per user");
  option(app, "result_ttl", c.result_ttl, "Seconds until a job's results are deleted");
  option(app, "janitor_interval", c.janitor_interval, "Seconds between expiry sweeps");
  option(app, "abandoned_upload_after", c.abandoned_upload_after,
         "Seconds after which an unfinished upload's objects are removed (0: request_timeout + "
         "60)");
  option(app, "upload_ttl", c.upload_ttl,
         "Seconds a resumable (tus) upload is kept after its creation until a job takes it");
  option(app, "expiry_notice", c.expiry_notice,
         "Seconds before results expire when their owner is notified (0: never)");
  option(app, "keep_sources", c.keep_sources,
         "Seconds an expired job's uploads are kept to convert it again (0: deleted with the "
         "results)");
  option(app, "session_ttl", c.session_ttl, "Seconds a login session lasts");
  option(app, "login_attempts_per_minute", c.login_attempts_per_minute,
         "Login attempts per minute per email/address");
  option(app, "webhook_allow_private", c.webhook_allow_private,
         "Allow webhooks to private addresses (tests)");
  option(app, "webhook_retry_base", c.webhook_retry_base,
         "Seconds before a webhook's first retry (each next wait doubles, with jitter)");
  option(app, "webhook_max_attempts", c.webhook_max_attempts, "Tries of one webhook delivery");
  option(app, "webhook_disable_after", c.webhook_disable_after,
         "Deliveries failed for good in a row before a webhook is disabled");
  option(app, "webhook_timeout", c.webhook_timeout, "Seconds for one webhook attempt");
  option(app, "webhook_dispatchers", c.webhook_dispatchers, "Webhook deliveries attempted at once");
  option(app, "log_level", c.log_level, "trace, debug, info, warn or error");
}

void apply_config_file(CLI::App& app, const std::string& config_file) {
  if (config_file.empty()) return;
  toml::table table;
  try {
    table = toml::parse_file(config_file);
  } catch (const toml::parse_error& e) {
    throw std::invalid_argument("config file " + config_file + ": " + std::string(e.description()));
  }
  for (const auto& [key, node] : table) {
    std::string flag = "--" + std::string(key.str());
    std::replace(flag.begin(), flag.end(), '_', '-');
    CLI::Option* opt = nullptr;
    try {
      opt = app.get_option(flag);
    } catch (const CLI::OptionNotFound&) {
    }
    if (opt == nullptr || flag == "--config") {
      throw std::invalid_argument("config file " + config_file + ": unknown setting " +
                                  std::string(key.str()));
    }
    if (opt->count() > 0) continue;  // a flag or the environment already set it
    std::string text;
    if (const auto* s = node.as_string()) {
      text = s->get();
    } else if (const auto* i = node.as_integer()) {
      text = std::to_string(i->get());
    } else if (const auto* f = node.as_floating_point()) {
      text = std::to_string(f->get());
    } else if (const auto* b = node.as_boolean()) {
      text = b->get() ? "true" : "false";
    } else {
      throw std::invalid_argument("config file " + config_file + ": " + std::string(key.str()) +
                                  ": expected a string, number or boolean");
    }
    try {
      opt->add_result(text);
      opt->run_callback();
    } catch (const CLI::Error& e) {
      throw std::invalid_argument("config file " + config_file + ": " + std::string(key.str()) +
                                  ": " + e.what());
    }
  }
}

std::string ServiceConfig::host() const {
  return listen.substr(0, listen.rfind(':'));
}

int ServiceConfig::port() const {
  return std::stoi(listen.substr(listen.rfind(':') + 1));
}

std::string ServiceConfig::events_setting() const {
  if (!events.empty()) return events;
  return queue.starts_with("redis://") ? queue : "memory";
}

void ServiceConfig::validate() const {
  const auto colon = listen.rfind(':');
  bool port_ok = colon != std::string::npos && colon > 0 && colon + 1 < listen.size();
  if (port_ok) {
    try {
      const int p = port();
      port_ok = p >= 0 && p <= 65535 &&
                listen.find_first_not_of("0123456789", colon + 1) == std::string::npos;
    } catch (const std::exception&) {
      port_ok = false;
    }
  }
  require(port_ok, "listen", "HOST:PORT, got \"" + listen + "\"");
  require(
      public_url.empty() || public_url.starts_with("http://") || public_url.starts_with("https://"),
      "public_url", "an http(s) URL");
  require(http_threads >= 0 && http_threads <= 256, "http_threads", "0 to 256");
  require(max_connections >= 1, "max_connections", "at least 1");
  require(header_timeout >= 1 && idle_timeout >= 1 && request_timeout >= 1,
          "header_timeout/idle_timeout/request_timeout", "at least 1 second");
  require(sse_heartbeat >= 1, "sse_heartbeat", "at least 1 second");
  require(!data.empty(), "data", "a folder");
  require(database.empty() || database.starts_with("sqlite:") || database.starts_with("mysql://") ||
              database.starts_with("mariadb://"),
          "database", "sqlite:PATH or mysql://USER:PASS@HOST:PORT/DB");
  require(queue == "sqlite" || queue.starts_with("redis://"), "queue",
          "sqlite or redis://HOST:PORT[/DB]");
  require(events.empty() || events == "memory" || events.starts_with("redis://"), "events",
          "memory or redis://HOST:PORT[/DB]");
  require(!redis_prefix.empty() && redis_prefix.find_first_of("{} ") == std::string::npos,
          "redis_prefix", "not empty, without '{', '}' or spaces");
  require(objects.empty() || objects.starts_with("file:") || objects.starts_with("s3://"),
          "objects", "file:DIR or s3://BUCKET...");
  require(workers >= 0 && workers <= 256, "workers", "0 to 256");
  require(worker_nice >= 0 && worker_nice <= 19, "worker_nice", "0 to 19");
  require(queue_lease >= 1, "queue_lease", "at least 1 second");
  require(max_deliveries >= 1, "max_deliveries", "at least 1");
  require(abandoned_upload_after >= 0, "abandoned_upload_after", "0 (default) or more seconds");
  require(max_images_in_flight_per_user >= 0, "max_images_in_flight_per_user", "0 or more");
  require(max_files >= 1 && max_files <= 1000, "max_files", "1 to 1000");
  require(max_file_bytes >= 1024, "max_file_bytes", "at least 1024");
  require(max_pixels >= 1, "max_pixels", "at least 1");
  require(max_output_pixels >= 1, "max_output_pixels", "at least 1");
  require(conversion_memory_mib >= 0, "conversion_memory_mib", "0 (no budget) or more");
  require(min_body_rate >= 0, "min_body_rate", "0 or more bytes per second");
  require(max_connections_per_address >= 1, "max_connections_per_address", "at least 1");
  require(sse_max_lifetime >= 1, "sse_max_lifetime", "at least 1 second");
  require(previews_per_user >= 1 && previews_at_once >= 1, "previews_per_user/previews_at_once",
          "at least 1");
  require(event_streams_per_user >= 1, "event_streams_per_user", "at least 1");
  require(signups_per_hour >= 1, "signups_per_hour", "at least 1");
  require(password_hashers >= 1 && password_hashers <= 64, "password_hashers", "1 to 64");
  require(password_queue >= 1, "password_queue", "at least 1");
  require(max_active_jobs >= 1, "max_active_jobs", "at least 1");
  require(max_queued_images >= 1, "max_queued_images", "at least 1");
  require(max_stored_bytes >= 1, "max_stored_bytes", "at least 1 byte");
  require(max_webhooks >= 1, "max_webhooks", "at least 1");
  require(max_presets >= 1 && max_presets <= 10'000, "max_presets", "1 to 10000");
  require(result_ttl >= 1, "result_ttl", "at least 1 second");
  require(webhook_retry_base > 0 && webhook_retry_base <= 3600, "webhook_retry_base",
          "more than 0, at most 3600 seconds");
  require(webhook_max_attempts >= 1 && webhook_max_attempts <= 50, "webhook_max_attempts",
          "1 to 50");
  require(webhook_disable_after >= 1, "webhook_disable_after", "at least 1");
  require(webhook_timeout >= 1 && webhook_timeout <= 60, "webhook_timeout", "1 to 60 seconds");
  require(webhook_dispatchers >= 1 && webhook_dispatchers <= 64, "webhook_dispatchers", "1 to 64");
  require(janitor_interval >= 1, "janitor_interval", "at least 1 second");
  require(upload_ttl >= 1, "upload_ttl", "at least 1 second");
  require(expiry_notice >= 0, "expiry_notice", "0 (never) or more seconds");
  require(keep_sources >= 0, "keep_sources", "0 (not kept) or more seconds");
  require(session_ttl >= 60, "session_ttl", "at least 60 seconds");
  require(login_attempts_per_minute >= 1, "login_attempts_per_minute", "at least 1");
  require(webhook_retry_base > 0, "webhook_retry_base", "more than 0 seconds");
  require(log_level == "trace" || log_level == "debug" || log_level == "info" ||
              log_level == "warn" || log_level == "error",
          "log_level", "trace, debug, info, warn or error");
}

}  // namespace imagesprint
