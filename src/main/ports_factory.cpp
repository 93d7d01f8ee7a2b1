#include "main/ports_factory.hpp"

#include <filesystem>

#include "adapters/curl/curl_webhook_transport.hpp"
#include "adapters/localfs/local_object_store.hpp"
#include "adapters/mariadb/mariadb_pool.hpp"
#include "adapters/mariadb/mariadb_settings.hpp"
#include "adapters/memory/in_process_event_bus.hpp"
#include "adapters/redis/redis_client.hpp"
#include "adapters/redis/redis_config.hpp"
#include "adapters/redis/redis_event_bus.hpp"
#include "adapters/redis/redis_leader_lease.hpp"
#include "adapters/redis/redis_rate_limiter.hpp"
#include "adapters/redis/redis_task_queue.hpp"
#include "adapters/s3/make_s3_object_store.hpp"
#include "adapters/sodium/sodium_secrets.hpp"
#include "adapters/sql/sql_account_store.hpp"
#include "adapters/sql/sql_job_store.hpp"
#include "adapters/sql/sql_notification_store.hpp"
#include "adapters/sql/sql_preset_store.hpp"
#include "adapters/sql/sql_upload_store.hpp"
#include "adapters/sql/sql_webhook_store.hpp"
#include "adapters/sqlite/database_pool.hpp"
#include "adapters/sqlite/sqlite_task_queue.hpp"
#include "app/rate_limiter.hpp"
#include "main/component_settings.hpp"
#include "main/signing_key.hpp"

namespace imagesprint {

namespace fs = std::filesystem;

std::unique_ptr<Secrets> make_secrets(const ServiceConfig& /*config*/) {
  return std::make_unique<SodiumSecrets>();
}

namespace {

/// A connection for each worker thread, plus the HTTP threads' blocking pool and the loops.
std::size_t database_connections(const ServiceConfig& config) {
  return static_cast<std::size_t>(worker_threads(config)) + 8;
}

std::shared_ptr<DatabasePool> make_sqlite(const ServiceConfig& config, const fs::path& file) {
  fs::create_directories(config.storage.data);
  if (file.has_parent_path()) fs::create_directories(file.parent_path());
  return std::make_shared<DatabasePool>(file.string(), database_connections(config));
}

}  // namespace

std::shared_ptr<SqlDatabase> make_database(const ServiceConfig& config) {
  if (config.storage.database.starts_with("mysql://") ||
      config.storage.database.starts_with("mariadb://")) {
    MariaDbSettings settings = parse_mysql_url(config.storage.database);
    settings.connections = database_connections(config);
    return std::make_shared<MariaDbPool>(settings);
  }
  const fs::path file = config.storage.database.starts_with("sqlite:")
                            ? fs::path(config.storage.database.substr(7))
                            : fs::path(config.storage.data) / "imagesprint.db";
  return make_sqlite(config, file);
}

std::shared_ptr<redis::RedisClient> make_redis(const std::string& url, std::string_view setting) {
  return std::make_shared<redis::RedisClient>(redis::parse_redis_url(url, setting));
}

std::unique_ptr<TaskQueue> make_task_queue(const ServiceConfig& config, DatabasePool* db,
                                           std::shared_ptr<redis::RedisClient> redis) {
  if (redis) {
    redis::RedisTaskQueueConfig queue;
    queue.connection = redis::parse_redis_url(config.storage.queue, "queue");
    queue.prefix = config.storage.redis_prefix + ":queue";
    queue.max_deliveries = config.work.max_deliveries;
    queue.max_in_flight_per_group = config.work.max_images_in_flight_per_user;
    return std::make_unique<redis::RedisTaskQueue>(std::move(redis), queue);
  }
  if (db == nullptr) throw std::invalid_argument("queue: sqlite needs an SQLite database file");
  SqliteTaskQueueConfig queue;
  queue.max_deliveries = config.work.max_deliveries;
  queue.max_in_flight_per_group = config.work.max_images_in_flight_per_user;
  return std::make_unique<SqliteTaskQueue>(*db, queue);
}

std::unique_ptr<ObjectStore> make_object_store(const ServiceConfig& config,
                                               const Secrets& secrets) {
  if (config.storage.objects.starts_with("s3://")) {
    return s3::make_s3_object_store(
        config.storage.objects,
        s3::S3CredentialSettings{
            config.storage.s3_access_key_id, config.storage.s3_secret_access_key, {}});
  }
  const fs::path data = config.storage.data;
  fs::create_directories(data);
  LocalObjectStoreConfig store;
  store.root = config.storage.objects.starts_with("file:")
                   ? fs::path(config.storage.objects.substr(5))
                   : data / "objects";
  store.signing_key = load_or_create_signing_key(data / "signing.key", secrets);
  auto objects = std::make_unique<LocalObjectStore>(store);
  objects->remove_stale_temporaries(std::chrono::seconds(3600));
  return objects;
}

std::unique_ptr<EventBus> make_event_bus(const ServiceConfig& config,
                                         std::shared_ptr<redis::RedisClient> redis) {
  if (redis) {
    redis::RedisEventBusConfig events;
    events.connection = redis::parse_redis_url(config.storage.events_setting(), "events");
    events.prefix = config.storage.redis_prefix + ":events";
    return std::make_unique<redis::RedisEventBus>(std::move(redis), events);
  }
  return std::make_unique<InProcessEventBus>();
}

std::unique_ptr<WebhookTransport> make_webhook_transport(const ServiceConfig& config) {
  curl::CurlTransportConfig transport;
  transport.allow_private = config.webhooks.webhook_allow_private;
  transport.total_timeout = std::chrono::seconds(config.webhooks.webhook_timeout);
  transport.connect_timeout = std::min(transport.connect_timeout, transport.total_timeout);
  return std::make_unique<curl::CurlWebhookTransport>(transport);
}

Ports make_ports(const ServiceConfig& config) {
  Ports ports;
  const std::shared_ptr<SqlDatabase> db = make_database(config);
  ports.shared.push_back(db);
  ports.secrets = make_secrets(config);
  ports.jobs = std::make_unique<SqlJobStore>(*db);
  ports.accounts = std::make_unique<SqlAccountStore>(*db);
  ports.notifications = std::make_unique<SqlNotificationStore>(*db);
  ports.webhooks = std::make_unique<SqlWebhookStore>(*db);
  ports.presets = std::make_unique<SqlPresetStore>(*db);
  ports.uploads = std::make_unique<SqlUploadStore>(*db);
  // One Redis connection pool for the queue and the events when they name the same server.
  std::shared_ptr<redis::RedisClient> queue_redis, events_redis;
  if (config.storage.queue.starts_with("redis://")) {
    queue_redis = make_redis(config.storage.queue, "queue");
  }
  const std::string events = config.storage.events_setting();
  if (events.starts_with("redis://")) {
    events_redis = events == config.storage.queue ? queue_redis : make_redis(events, "events");
  }
  // The SQLite queue lives in the database's file, or in a file of its own beside a MySQL one.
  std::shared_ptr<DatabasePool> queue_file;
  if (!queue_redis) {
    queue_file = std::dynamic_pointer_cast<DatabasePool>(db);
    if (!queue_file) queue_file = make_sqlite(config, fs::path(config.storage.data) / "queue.db");
    ports.shared.push_back(queue_file);
  }
  ports.queue = make_task_queue(config, queue_file.get(), queue_redis);
  ports.objects = make_object_store(config, *ports.secrets);
  ports.events = make_event_bus(config, events_redis);
  ports.webhook_transport = make_webhook_transport(config);
  if (queue_redis) {
    ports.janitor_lease = std::make_unique<redis::RedisLeaderLease>(
        queue_redis, config.storage.redis_prefix + ":queue", "janitor");
    ports.rate_limiters =
        redis::redis_rate_limiters(queue_redis, config.storage.redis_prefix + ":limits");
  } else {
    ports.janitor_lease = std::make_unique<SoleProcessLease>();
    ports.rate_limiters = in_process_rate_limiters();
  }
  ports.ready = [db, queue_redis, events_redis] {
    return db->ping() && (!queue_redis || queue_redis->ping()) &&
           (!events_redis || events_redis == queue_redis || events_redis->ping());
  };
  return ports;
}

}  // namespace imagesprint
