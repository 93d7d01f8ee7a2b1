#pragma once
// The composition root's factories: one per port, each picking the implementation from the
// configuration. Today every port has its embedded implementation (SQLite records and queue,
// the local folder, in-process events); the distributed roles add Redis, MariaDB and S3 here,
// and nothing outside main/ and the adapters' own folders names an adapter type.
#include <functional>
#include <memory>
#include <vector>

#include "main/service_config.hpp"
#include "ports/account_store.hpp"
#include "ports/event_bus.hpp"
#include "ports/job_store.hpp"
#include "ports/leader_lease.hpp"
#include "ports/notification_store.hpp"
#include "ports/object_store.hpp"
#include "ports/preset_store.hpp"
#include "ports/rate_limiter.hpp"
#include "ports/secrets.hpp"
#include "ports/task_queue.hpp"
#include "ports/upload_store.hpp"
#include "ports/webhook_store.hpp"
#include "ports/webhook_transport.hpp"

namespace imagesprint {

class DatabasePool;
class SqlDatabase;
namespace redis {
class RedisClient;
}

/// Every port the service's roles use, made from one configuration.
struct Ports {
  /// What the adapters below share (the database's connection pool, the queue's SQLite file);
  /// declared first, so they are destroyed after every adapter that uses them.
  std::vector<std::shared_ptr<void>> shared;

  std::unique_ptr<Secrets> secrets;
  std::unique_ptr<JobStore> jobs;
  std::unique_ptr<AccountStore> accounts;
  std::unique_ptr<NotificationStore> notifications;
  std::unique_ptr<WebhookStore> webhooks;
  std::unique_ptr<PresetStore> presets;
  std::unique_ptr<UploadStore> uploads;
  std::unique_ptr<TaskQueue> queue;
  std::unique_ptr<ObjectStore> objects;
  std::unique_ptr<EventBus> events;
  std::unique_ptr<WebhookTransport> webhook_transport;
  /// Who runs the janitor: in Redis when the queue is there (several processes), else this one.
  std::unique_ptr<LeaderLease> janitor_lease;
  /// Log-in and sign-up limits: in Redis when the queue is there (every API process counts
  /// together), else in this process.
  RateLimiterFactory rate_limiters;
  /// Whether the stores answer (GET /readyz).
  std::function<bool()> ready;
};

Ports make_ports(const ServiceConfig& config);

// The factories make_ports() uses, one per port.
std::unique_ptr<Secrets> make_secrets(const ServiceConfig& config);
/// The records' database: SQLite (the `database` setting's file, by default in `data`) or
/// MariaDB/MySQL (a mysql:// URL).
std::shared_ptr<SqlDatabase> make_database(const ServiceConfig& config);
/// On Redis when `redis` is given, else on the SQLite file `db`.
std::unique_ptr<TaskQueue> make_task_queue(const ServiceConfig& config, DatabasePool* db,
                                           std::shared_ptr<redis::RedisClient> redis = nullptr);
/// Also removes what writes interrupted by a crash left behind.
std::unique_ptr<ObjectStore> make_object_store(const ServiceConfig& config, const Secrets& secrets);
/// On Redis when `redis` is given (the `events` setting, by default the queue's Redis), else in
/// this process's memory.
std::unique_ptr<EventBus> make_event_bus(const ServiceConfig& config,
                                         std::shared_ptr<redis::RedisClient> redis = nullptr);
std::unique_ptr<WebhookTransport> make_webhook_transport(const ServiceConfig& config);

}  // namespace imagesprint
