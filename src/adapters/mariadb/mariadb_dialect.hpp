#pragma once
// MariaDB's (and MySQL's) side of the dialect seam (adapters/sql/sql_dialect.hpp), on InnoDB.
//
// Many writers at once, each locking rows as it touches them:
//   - write transactions run at REPEATABLE READ, and a SELECT whose rows the transaction then
//     changes says FOR UPDATE: it reads the latest committed rows and holds them (and, for a
//     lookup that finds nothing, the gap where the row would go) until COMMIT. Two transactions
//     that both find "free" and then insert deadlock instead of both succeeding; InnoDB rolls one
//     back, and SqlDatabase runs it again, when it finds the other's row;
//   - claim transactions run at READ COMMITTED (record locks only, no gap locks between
//     claimers) and claim with FOR UPDATE SKIP LOCKED: a row another claimer holds is passed over,
//     so concurrent claimers take disjoint rows and none waits for another.
// Schema: InnoDB tables in utf8mb4 with the binary collation (names compare exactly, as on
// SQLite: "Web" and "web" are two preset names), strict SQL mode (a value that does not fit is
// an error, not a silent truncation).
#include "adapters/sql/sql_dialect.hpp"

namespace imagesprint {

class MariaDbDialect final : public SqlDialect {
 public:
  std::string_view name() const override { return "mariadb"; }
  void begin(soci::session& session, SqlTransaction kind) const override;
  std::string_view lock_rows() const override { return " FOR UPDATE"; }
  std::string_view claim_rows() const override { return " FOR UPDATE SKIP LOCKED"; }
  std::int64_t last_insert_id(soci::session& session) const override;
  std::string upsert(std::string_view table, const std::vector<std::string>& columns,
                     const std::vector<std::string>& key) const override;
  std::string_view unix_seconds() const override { return "UNIX_TIMESTAMP()"; }
  void lock_migrations(soci::session& session) const override;
  void unlock_migrations(soci::session& session) const override;
  void configure(soci::session& session) const override;
  SqlFailure classify(const soci::soci_error& error) const override;

  /// The one instance (a dialect has no state).
  static const MariaDbDialect& instance();

  /// How long lock_migrations() waits for another process's migrations, in seconds.
  static constexpr int MIGRATION_LOCK_TIMEOUT_SECONDS = 120;

 protected:
  std::string_view placeholder(std::string_view name) const override;
  /// MariaDB commits each DDL statement by itself, so a migration that failed halfway stays half
  /// applied: CREATE TABLE/INDEX and ADD COLUMN get IF NOT EXISTS, and the migration can run
  /// again from its start.
  std::string finish_statement(std::string statement) const override;
};

}  // namespace imagesprint
