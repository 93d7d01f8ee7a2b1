#pragma once
// Settings that pick the back ends: where the records, the objects, the task queue and the live
// events are (the ports' factories read them), and the credentials they need.
#include <span>
#include <string>

#include "main/settings/setting_field.hpp"

namespace imagesprint {

struct StorageSettings {
  static constexpr const char* DEFAULT_DATA = "./data";
  static constexpr const char* DEFAULT_QUEUE = "sqlite";
  static constexpr const char* DEFAULT_REDIS_PREFIX = "imagesprint";

  std::string data = DEFAULT_DATA;  // SQLite database and object folder live here
  /// The records: sqlite:PATH, or mysql://USER:PASS@HOST:PORT/DB (MariaDB too). Empty:
  /// sqlite:<data>/imagesprint.db.
  std::string database;
  /// The task queue: "sqlite" (the database's file) or redis://HOST:PORT[/DB].
  std::string queue = DEFAULT_QUEUE;
  /// Live events: "memory" or redis://HOST:PORT[/DB]. Empty: the queue's Redis when the queue is
  /// on Redis (workers in other processes publish there), else memory.
  std::string events;
  /// What every Redis key of this deployment starts with (inside its hash tag), so that several
  /// deployments (or test runs) can share one Redis.
  std::string redis_prefix = DEFAULT_REDIS_PREFIX;
  /// Where objects live: file:DIR, or s3://BUCKET[/PREFIX]?endpoint=URL&region=R&path_style=true.
  /// Empty: file:<data>/objects.
  std::string objects;
  std::string s3_access_key_id;      // empty: the AWS_ACCESS_KEY_ID environment variable
  std::string s3_secret_access_key;  // empty: AWS_SECRET_ACCESS_KEY (never logged or shown)

  static std::span<const SettingField<StorageSettings>> fields();
  FieldErrors validate() const { return check_fields(*this); }
  /// `events` with its default resolved.
  std::string events_setting() const;
};

}  // namespace imagesprint
