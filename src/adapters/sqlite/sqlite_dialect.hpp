#pragma once
// SQLite's side of the dialect seam (adapters/sql/sql_dialect.hpp). One writer at a time: a write
// transaction takes the database's write lock up front (BEGIN IMMEDIATE), so a SELECT in it
// already sees the last committed state and nobody else can change it before the COMMIT; row
// locks (FOR UPDATE) do not exist and are not needed.
#include "adapters/sql/sql_dialect.hpp"

namespace imagesprint {

class SqliteDialect final : public SqlDialect {
 public:
  std::string_view name() const override { return "sqlite"; }
  void begin(soci::session& session, SqlTransaction kind) const override;
  std::string_view lock_rows() const override { return ""; }
  std::string_view claim_rows() const override { return ""; }
  std::int64_t last_insert_id(soci::session& session) const override;
  std::string upsert(std::string_view table, const std::vector<std::string>& columns,
                     const std::vector<std::string>& key) const override;
  std::string_view unix_seconds() const override { return "strftime('%s','now')"; }
  void lock_migrations(soci::session&) const override {}
  void unlock_migrations(soci::session&) const override {}
  void configure(soci::session& session) const override;
  SqlFailure classify(const soci::soci_error& error) const override;

  /// The one instance (a dialect has no state).
  static const SqliteDialect& instance();

 protected:
  std::string_view placeholder(std::string_view name) const override;
};

}  // namespace imagesprint
