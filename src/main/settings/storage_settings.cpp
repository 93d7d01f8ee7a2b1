#include "main/settings/storage_settings.hpp"

#include <array>

namespace imagesprint {
namespace {

using Field = SettingField<StorageSettings>;

bool is_mysql(const std::string& url) {
  return url.starts_with("mysql://") || url.starts_with("mariadb://");
}

const std::array FIELDS{
    Field{.name = "data",
          .help = "Folder for the SQLite database and the stored objects",
          .member = &StorageSettings::data,
          .expected = "a folder",
          .accepts = [](const StorageSettings& s) { return !s.data.empty(); }},
    // A secret: a mysql:// URL carries a password, so the value is never quoted back.
    Field{.name = "database",
          .help = "The records: sqlite:PATH or mysql://USER:PASS@HOST:PORT/DB (MariaDB too; "
                  "default: sqlite:<data>/imagesprint.db)",
          .member = &StorageSettings::database,
          .expected = "sqlite:PATH or mysql://USER:PASS@HOST:PORT/DB",
          .accepts =
              [](const StorageSettings& s) {
                return s.database.empty() || s.database.starts_with("sqlite:") ||
                       is_mysql(s.database);
              },
          .secret = true},
    Field{.name = "queue",
          .help = "The task queue: sqlite (the database's file) or redis://HOST:PORT[/DB]",
          .member = &StorageSettings::queue,
          .expected = "sqlite or redis://HOST:PORT[/DB]",
          .accepts =
              [](const StorageSettings& s) {
                return s.queue == "sqlite" || s.queue.starts_with("redis://");
              }},
    Field{.name = "events",
          .help = "Live events: memory or redis://HOST:PORT[/DB] (default: the queue's Redis, "
                  "else memory)",
          .member = &StorageSettings::events,
          .expected = "memory or redis://HOST:PORT[/DB]",
          .accepts =
              [](const StorageSettings& s) {
                return s.events.empty() || s.events == "memory" || s.events.starts_with("redis://");
              }},
    Field{.name = "redis_prefix",
          .help = "What every Redis key of this deployment starts with (queue and events)",
          .member = &StorageSettings::redis_prefix,
          .expected = "not empty, without '{', '}' or spaces",
          .accepts =
              [](const StorageSettings& s) {
                return !s.redis_prefix.empty() &&
                       s.redis_prefix.find_first_of("{} ") == std::string::npos;
              }},
    Field{.name = "objects",
          .help = "Where objects live: file:DIR or s3://BUCKET[/PREFIX]?endpoint=URL&region=R&"
                  "path_style=true (default: file:<data>/objects)",
          .member = &StorageSettings::objects,
          .expected = "file:DIR or s3://BUCKET...",
          .accepts =
              [](const StorageSettings& s) {
                return s.objects.empty() || s.objects.starts_with("file:") ||
                       s.objects.starts_with("s3://");
              }},
    Field{.name = "s3_access_key_id",
          .help = "S3 access key id (default: the AWS_ACCESS_KEY_ID environment variable)",
          .member = &StorageSettings::s3_access_key_id},
    Field{.name = "s3_secret_access_key",
          .help = "S3 secret access key (default: AWS_SECRET_ACCESS_KEY)",
          .member = &StorageSettings::s3_secret_access_key,
          .secret = true},
};

}  // namespace

std::span<const SettingField<StorageSettings>> StorageSettings::fields() {
  return FIELDS;
}

std::string StorageSettings::events_setting() const {
  if (!events.empty()) return events;
  return queue.starts_with("redis://") ? queue : "memory";
}

}  // namespace imagesprint
