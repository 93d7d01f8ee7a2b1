// `imagesprint serve`: the wiring of the embedded service. Thin: build the adapters, hand them to
// the use cases and the HTTP API, run until SIGINT/SIGTERM, stop in order.
#include "main/serve_command.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "adapters/curl/curl_webhook_transport.hpp"
#include "adapters/http/api/routes.hpp"
#include "adapters/http/server.hpp"
#include "adapters/http/static_site.hpp"
#include "adapters/localfs/local_object_store.hpp"
#include "adapters/memory/in_process_event_bus.hpp"
#include "adapters/sodium/sodium_secrets.hpp"
#include "adapters/sqlite/database_pool.hpp"
#include "adapters/sqlite/sqlite_account_store.hpp"
#include "adapters/sqlite/sqlite_job_store.hpp"
#include "adapters/sqlite/sqlite_notification_store.hpp"
#include "adapters/sqlite/sqlite_task_queue.hpp"
#include "adapters/sqlite/sqlite_webhook_store.hpp"
#include "adapters/zip/zip_archive_writer.hpp"
#include "app/expire_results.hpp"
#include "app/job_worker.hpp"
#include "app/runners.hpp"
#include "app/webhooks.hpp"
#include "main/openapi_document.hpp"
#include "main/service_config.hpp"

namespace imagesprint {
namespace {

namespace fs = std::filesystem;

/// The key that signs local download URLs: random, created once, kept in the data folder so
/// links survive restarts; readable by the owner only.
std::string signing_key(const fs::path& file, const Secrets& secrets) {
  if (fs::exists(file)) {
    std::ifstream in(file, std::ios::binary);
    std::string key((std::istreambuf_iterator<char>(in)), {});
    if (key.size() >= 32) return key;
  }
  const std::string key = secrets.random_token(48);
  const fs::path temp = file.string() + ".tmp";
  // Created owner-only from the first byte (a chmod after writing leaves a window where others
  // may open it).
  ::unlink(temp.c_str());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + temp.string());
  const bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) throw std::runtime_error("cannot write " + temp.string());
  fs::rename(temp, file);
  return key;
}

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

void declare_metrics(prometheus::Registry& m, http::HttpServer*& server, TaskQueue& queue,
                     JobStore& jobs) {
  m.counter("imagesprint_http_requests_total", "HTTP requests by route pattern and status");
  m.histogram("imagesprint_conversion_seconds", "Time to convert one image",
              {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30});
  m.counter("imagesprint_images_total", "Images converted, by outcome");
  m.counter("imagesprint_jobs_finished_total", "Jobs finished, by final status");
  m.gauge_callback("imagesprint_queue_waiting", "Tasks waiting in the queue",
                   [&queue] { return static_cast<double>(queue.depth().waiting); });
  m.gauge_callback("imagesprint_queue_in_flight", "Tasks leased by workers",
                   [&queue] { return static_cast<double>(queue.depth().in_flight); });
  m.gauge_callback("imagesprint_queue_dead_letters", "Tasks that used up their deliveries",
                   [&queue] { return static_cast<double>(queue.depth().dead_letters); });
  m.gauge_callback("imagesprint_sse_connections", "Open Server-Sent Events streams", [&server] {
    return server ? static_cast<double>(server->metrics().open_sse_streams()) : 0.0;
  });
  m.gauge_callback("imagesprint_http_connections", "Open HTTP connections", [&server] {
    return server ? static_cast<double>(server->metrics().open_connections()) : 0.0;
  });
  m.gauge_callback("imagesprint_jobs_unfinished", "Jobs queued or processing",
                   [&jobs] { return static_cast<double>(jobs.unfinished_jobs().size()); });
}

int serve(const ServiceConfig& config) {
  config.validate();
  // Block the stop signals before any thread starts, so all threads inherit the mask and the
  // main thread alone receives them through sigwait().
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  init_engine();
  const fs::path data = config.data;
  fs::create_directories(data);
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const int workers = config.workers > 0 ? config.workers : static_cast<int>(cores);

  SodiumSecrets secrets;
  DatabasePool db((data / "imagesprint.db").string(), static_cast<std::size_t>(workers) + 8);
  SqliteJobStore jobs(db);
  SqliteAccountStore account_store(db);
  SqliteNotificationStore notifications(db);
  SqliteTaskQueueConfig queue_config;
  queue_config.max_deliveries = config.max_deliveries;
  queue_config.max_in_flight_per_group = config.max_images_in_flight_per_user;
  SqliteTaskQueue queue(db, queue_config);
  LocalObjectStoreConfig store_config;
  store_config.root = data / "objects";
  store_config.signing_key = signing_key(data / "signing.key", secrets);
  LocalObjectStore objects(store_config);
  InProcessEventBus events;
  Accounts accounts(
      account_store, secrets,
      AccountsConfig{std::chrono::seconds(config.session_ttl), config.login_attempts_per_minute},
      system_now);

  prometheus::Registry metrics;
  http::HttpServer* server_ptr = nullptr;
  declare_metrics(metrics, server_ptr, queue, jobs);

  // Webhooks: deliveries are rows written when a job ends; dispatcher threads send them.
  SqliteWebhookStore webhook_store(db);
  curl::CurlTransportConfig transport_config;
  transport_config.allow_private = config.webhook_allow_private;
  transport_config.total_timeout = std::chrono::seconds(config.webhook_timeout);
  transport_config.connect_timeout =
      std::min(transport_config.connect_timeout, transport_config.total_timeout);
  curl::CurlWebhookTransport transport(transport_config);
  WebhookSettings webhook_settings;
  webhook_settings.retry_base_seconds = config.webhook_retry_base;
  webhook_settings.max_attempts = config.webhook_max_attempts;
  webhook_settings.disable_after = config.webhook_disable_after;
  webhook_settings.lease = std::chrono::seconds(config.webhook_timeout * 3);
  webhook_settings.max_per_user = config.max_webhooks;
  webhook_settings.max_fan_out = config.max_webhooks;
  const auto link_base = [&config, &server_ptr] {
    if (!config.public_url.empty()) return config.public_url;
    const auto port = server_ptr ? server_ptr->port() : static_cast<std::uint16_t>(config.port());
    return "http://" + config.host() + ":" + std::to_string(port);
  };
  Webhooks webhooks(WebhookDeps{webhook_store, transport, objects, notifications, events, secrets,
                                system_now, link_base},
                    webhook_settings);
  const JobEndedHook job_ended = [&webhooks](const Job& job, const std::string& event) {
    const int n = webhooks.job_event(job, event);
    if (n > 0) spdlog::debug("webhooks: {} delivery(ies) of {} for job {}", n, event, job.id);
  };

  // Work left unfinished by a crash (or a SIGKILL) is queued again; dedupe keys make it safe.
  recover_unfinished_jobs(jobs, queue);
  objects.remove_stale_temporaries(std::chrono::seconds(3600));

  WorkerSettings settings;
  settings.lease = std::chrono::seconds(config.queue_lease);
  settings.result_ttl = std::chrono::seconds(config.result_ttl);
  settings.limits.max_input_pixels = static_cast<std::uint64_t>(config.max_pixels);
  settings.limits.max_input_bytes = static_cast<std::uint64_t>(config.max_file_bytes);
  settings.limits.max_output_pixels = static_cast<std::uint64_t>(config.max_output_pixels);
  WorkerObserver observer;
  observer.image_converted = [&metrics](const std::string& outcome, double seconds) {
    metrics.inc("imagesprint_images_total", {{"outcome", outcome}});
    metrics.observe("imagesprint_conversion_seconds", {}, seconds);
  };
  observer.job_finished = [&metrics](JobStatus status) {
    metrics.inc("imagesprint_jobs_finished_total", {{"status", std::string(to_string(status))}});
  };
  WorkerDeps worker_deps{jobs,
                         objects,
                         queue,
                         events,
                         notifications,
                         [](ArchiveSink sink) { return std::make_unique<ZipArchiveWriter>(std::move(sink)); },
                         system_now,
                         observer,
                         job_ended};

  // The long-running loops (app/runners): stopped in reverse order after the HTTP server.
  auto worker_pool = make_worker_pool(worker_deps, settings, workers);
  auto janitor =
      make_janitor(ExpiryDeps{jobs, objects, notifications, events, system_now, job_ended},
                   account_store, std::chrono::seconds(config.janitor_interval));
  auto dispatcher = make_webhook_dispatcher(webhooks, system_now, config.webhook_dispatchers);
  worker_pool->start();
  janitor->start();
  dispatcher->start();

  UploadLimits upload_limits;
  upload_limits.max_files = config.max_files;
  upload_limits.max_file_bytes = config.max_file_bytes;
  upload_limits.engine = settings.limits;
  upload_limits.quotas =
      UserQuotas{config.max_active_jobs, config.max_queued_images, config.max_stored_bytes};
  api::ApiContext ctx{accounts,
                      jobs,
                      objects,
                      queue,
                      events,
                      notifications,
                      secrets,
                      metrics,
                      upload_limits,
                      system_now,
                      [&db] { return db.ping(); },
                      config.public_url.starts_with("https://"),
                      std::string(openapi_document())};
  ctx.webhooks = &webhooks;
  ctx.check_download = [&objects](const std::string& key, std::string_view expires,
                                  std::string_view signature) -> std::string {
    const auto check = objects.check_presigned(PresignMethod::get, key, expires, signature);
    return check == SignatureCheck::valid ? "" : std::string(to_string(check));
  };
  ctx.limits = api::ApiLimits{config.previews_per_user,      config.previews_at_once,
                              config.event_streams_per_user, config.signups_per_hour,
                              config.password_hashers,       config.password_queue};
  ctx.metrics_token = config.metrics_token;
  ctx.public_url = config.public_url;
  if (!config.public_url.empty()) {
    // The origin of the public URL: scheme://host[:port], no path.
    const auto host_start = config.public_url.find("://") + 3;
    ctx.trusted_origins.push_back(
        config.public_url.substr(0, config.public_url.find('/', host_start)));
  }
  http::Router router;
  api::add_api_routes(router, ctx);
  router.fallback(http::static_site(web_root(config.web_dir)));

  http::ServerConfig server_config;
  server_config.host = config.host();
  server_config.port = static_cast<std::uint16_t>(config.port());
  server_config.threads = static_cast<std::size_t>(config.http_threads);
  server_config.max_connections = static_cast<std::size_t>(config.max_connections);
  server_config.header_timeout = std::chrono::seconds(config.header_timeout);
  server_config.idle_timeout = std::chrono::seconds(config.idle_timeout);
  server_config.sse_heartbeat = std::chrono::seconds(config.sse_heartbeat);
  server_config.sse_max_lifetime = std::chrono::seconds(config.sse_max_lifetime);
  server_config.request_timeout = std::chrono::seconds(config.request_timeout);
  server_config.min_body_rate = static_cast<std::uint64_t>(config.min_body_rate);
  server_config.max_connections_per_address =
      static_cast<std::size_t>(config.max_connections_per_address);
  server_config.on_request = [&metrics](const http::RequestRecord& r) {
    metrics.inc("imagesprint_http_requests_total",
                {{"route", std::string(r.route)}, {"status", std::to_string(r.status)}});
  };
  http::HttpServer server(server_config, std::move(router));
  server_ptr = &server;
  server.start();
  // One line a script can wait for (tests read the port from it).
  std::printf("imagesprint serve: listening on http://%s:%u (data in %s)\n",
              server_config.host.c_str(), static_cast<unsigned>(server.port()),
              fs::absolute(data).c_str());
  std::fflush(stdout);
  // SIGINT/SIGTERM were blocked in every thread at start (serve()), so they wait here.
  int signal = 0;
  sigwait(&stop_signals, &signal);
  spdlog::info("stopping (signal {}): finishing requests and the tasks in hand", signal);
  server.stop();
  server.wait();
  server_ptr = nullptr;
  // Each worker finishes its current task; the rest stay queued for the next start.
  dispatcher->stop();
  janitor->stop();
  worker_pool->stop();
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto config = std::make_shared<ServiceConfig>();
  auto config_file = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Run the API, the worker and the janitor in one process (no services needed)");
  add_service_options(*cmd, *config, *config_file);
  cmd->callback([cmd, config, config_file, &exit_code] {
    try {
      apply_config_file(*cmd, *config_file);
      exit_code = serve(*config);
    } catch (const std::invalid_argument& e) {
      std::fprintf(stderr, "imagesprint serve: %s\n", e.what());
      exit_code = 2;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "imagesprint serve: %s\n", e.what());
      exit_code = 1;
    }
  });
}

}  // namespace imagesprint
