#pragma once
// Settings of `imagesprint serve` (and later `api` / `worker`). Each setting has one name used
// everywhere: flag --name-with-dashes, environment IMAGESPRINT_NAME_IN_CAPS, key name_with_
// underscores in the TOML file given by --config (or IMAGESPRINT_CONFIG). Flags win over the
// environment, which wins over the file; with none of them the defaults below work (data in
// ./data, listening on 127.0.0.1:8080).
#include <cstdint>
#include <string>

#include "imaging/engine.hpp"

#include <CLI/CLI.hpp>

namespace imagesprint {

struct ServiceConfig {
  // Network.
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free one
  std::string public_url;  // base of links in notifications/webhooks; default http://listen
  int http_threads = 0;    // IO threads; 0 = cores
  int max_connections = 10'000;
  int header_timeout = 10;    // seconds to receive a request's headers (slow-loris bound)
  int idle_timeout = 30;      // seconds a keep-alive connection may stay idle
  int request_timeout = 300;  // seconds for a whole request body (50 x 20 MB uploads)
  int min_body_rate = 1024;   // bytes/s a body must average over 30 s (slow POST); 0 = off
  int max_connections_per_address = 256;  // open connections from one client address
  // Load balancers in front of the service, comma-separated addresses or CIDR networks: their
  // X-Forwarded-For names the client for per-address limits; empty = none (the peer is the
  // client).
  std::string trusted_proxies;
  int sse_heartbeat = 15;       // seconds between SSE comment heartbeats
  int sse_max_lifetime = 3600;  // seconds an event stream lasts before the client reconnects
  std::string metrics_token;    // bearer token for /metrics; empty = loopback clients only

  // Storage.
  std::string data = "./data";  // SQLite database and object folder live here
  // Where objects live: file:DIR, or s3://BUCKET[/PREFIX]?endpoint=URL&region=R&path_style=true.
  // Empty: file:<data>/objects.
  std::string objects;
  // The records: sqlite:PATH, or mysql://USER:PASS@HOST:PORT/DB (MariaDB too). Empty:
  // sqlite:<data>/imagesprint.db.
  std::string database;
  // The task queue: "sqlite" (the database's file) or redis://HOST:PORT[/DB].
  std::string queue = "sqlite";
  // Live events: "memory" or redis://HOST:PORT[/DB]. Empty: the queue's Redis when the queue is
  // on Redis (workers in other processes publish there), else memory.
  std::string events;
  // What every Redis key of this deployment starts with (inside its hash tag), so that several
  // deployments (or test runs) can share one Redis.
  std::string redis_prefix = "imagesprint";
  /// `events` with its default resolved.
  std::string events_setting() const;
  std::string s3_access_key_id;      // empty: the AWS_ACCESS_KEY_ID environment variable
  std::string s3_secret_access_key;  // empty: AWS_SECRET_ACCESS_KEY (never logged or shown)
  bool download_redirect = true;     // S3: downloads answer 302 to a presigned URL
  std::string web_dir;  // the built web app (web/dist); empty: ./web/dist or beside the binary

  // Work.
  int workers = 0;                        // images converted at once; 0 = cores
  int worker_nice = 10;                   // nice levels conversions run below the IO threads
  int queue_lease = 120;                  // seconds a task stays leased before redelivery
  int max_deliveries = 5;                 // deliveries of one task before it is dead-lettered
  int max_images_in_flight_per_user = 0;  // images of one user converted at once; 0 = no cap
  // Memory all conversions of the process may take at once, by their estimated peaks; 0 = none.
  std::int64_t conversion_memory_mib =
      static_cast<std::int64_t>(EngineConfig::DEFAULT_MEMORY_BUDGET_MIB);

  // Limits (the API refuses beyond them with a 4xx naming the file).
  int max_files = 50;
  std::int64_t max_file_bytes = static_cast<std::int64_t>(EngineLimits::DEFAULT_MAX_INPUT_BYTES);
  std::int64_t max_pixels = 100'000'000;         // input pixels, from the header
  std::int64_t max_output_pixels = 100'000'000;  // output pixels, from the header and options

  // Fair share (each refused with 429/503 naming the limit).
  int previews_per_user = 2;        // live previews rendered at once per user
  int previews_at_once = 4;         // live previews rendered at once in all
  int event_streams_per_user = 16;  // open /v1/events and job event streams per user
  int signups_per_hour = 20;        // accounts created per client address per hour
  int password_hashers = 2;         // threads hashing passwords (argon2id)
  int password_queue = 16;          // sign-ups and log-ins in flight at most
  int max_active_jobs = 10;         // jobs queued or running per user
  int max_queued_images = 500;      // images waiting for conversion per user
  std::int64_t max_stored_bytes = 10ll * 1024 * 1024 * 1024;  // inputs + outputs kept per user
  int max_webhooks = 20;                                      // webhooks per user
  int max_presets = 50;                                       // presets per user

  // Results.
  int result_ttl = 86'400;    // seconds until outputs and archive are deleted
  int janitor_interval = 60;  // seconds between expiry sweeps
  // Seconds after which an upload that has not become a job counts as abandoned (its process
  // died) and the janitor removes its objects; 0 = request_timeout + 60.
  int abandoned_upload_after = 0;
  /// abandoned_upload_after with its default resolved.
  int abandoned_upload_after_seconds() const {
    return abandoned_upload_after > 0 ? abandoned_upload_after : request_timeout + 60;
  }
  int upload_ttl = 86'400;    // seconds an unfinished resumable upload is kept after creation
  // Seconds before a job's results expire when its owner is told so (once per job, by the
  // janitor); 0: never.
  int expiry_notice = 7'200;
  // Seconds an expired job's uploaded files are kept after its results, so that it can be
  // converted again; 0: they go with the results.
  int keep_sources = 0;

  // Accounts.
  int session_ttl = 30 * 86'400;       // seconds a login session lasts
  int login_attempts_per_minute = 10;  // per email and per client address

  // Webhooks (issue 4).
  bool webhook_allow_private = false;  // allow loopback/private targets (tests only)
  double webhook_retry_base = 5.0;     // seconds before the first retry; each next one doubles
  int webhook_max_attempts = 15;       // tries of one delivery (15 from 5 s: about a day)
  int webhook_disable_after = 5;       // deliveries failed for good in a row, then disabled
  int webhook_timeout = 10;            // seconds for one attempt (connect: at most 5)
  int webhook_dispatchers = 2;         // deliveries attempted at once

  std::string log_level = "info";  // trace, debug, info, warn, error

  /// Throws std::invalid_argument naming the setting when a value is out of range.
  void validate() const;
  /// host and port from `listen`.
  std::string host() const;
  int port() const;
};

/// Registers every setting on `command` (with help text, environment names and --config).
/// `config_file` receives the --config path.
void add_service_options(CLI::App& command, ServiceConfig& config, std::string& config_file);

/// After `command` was parsed: applies the TOML file's values to every setting that neither a
/// flag nor the environment set (CLI11's own config support would let the file beat the
/// environment). Throws std::invalid_argument naming an unknown key or a bad value.
void apply_config_file(CLI::App& command, const std::string& config_file);

}  // namespace imagesprint
