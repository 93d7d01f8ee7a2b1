#include "adapters/mariadb/mariadb_dialect.hpp"

#include <soci/mysql/soci-mysql.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace imagesprint {
namespace {

// Server and client error numbers (mysqld_error.h, errmsg.h).
constexpr unsigned ER_LOCK_WAIT_TIMEOUT = 1205;  // this statement rolled back; we roll back all
constexpr unsigned ER_LOCK_DEADLOCK = 1213;      // the whole transaction rolled back
constexpr unsigned ER_SERVER_SHUTDOWN = 1053;
constexpr unsigned ER_CONNECTION_KILLED = 1927;
constexpr unsigned CR_CONNECTION_ERROR_CODE = 2002;
constexpr unsigned CR_CONN_HOST_ERROR_CODE = 2003;
constexpr unsigned CR_SERVER_GONE_ERROR_CODE = 2006;
constexpr unsigned CR_SERVER_LOST_CODE = 2013;
constexpr unsigned CR_SERVER_LOST_EXTENDED_CODE = 2055;

/// The migration lock is per database: tests run many databases on one server at once.
const char* const MIGRATION_LOCK = "CONCAT('imagesprint.migrations.', DATABASE())";

std::string ltrim(std::string text) {
  text.erase(0, std::min(text.find_first_not_of(" \t\r\n"), text.size()));
  return text;
}

/// Inserts " IF NOT EXISTS" at `at` in `statement` unless it is there already.
void insert_if_not_exists(std::string& statement, std::size_t at) {
  constexpr std::string_view IF_NOT_EXISTS = " IF NOT EXISTS";
  if (statement.compare(at, IF_NOT_EXISTS.size(), IF_NOT_EXISTS) != 0) {
    statement.insert(at, IF_NOT_EXISTS);
  }
}

}  // namespace

const MariaDbDialect& MariaDbDialect::instance() {
  static const MariaDbDialect dialect;
  return dialect;
}

void MariaDbDialect::begin(soci::session& session, SqlTransaction kind) const {
  // SET TRANSACTION applies to the next transaction only; the session stays at REPEATABLE READ.
  if (kind == SqlTransaction::claim) session << "SET TRANSACTION ISOLATION LEVEL READ COMMITTED";
  session << "START TRANSACTION";
}

std::int64_t MariaDbDialect::last_insert_id(soci::session& session) const {
  long long id = 0;
  session << "SELECT LAST_INSERT_ID()", soci::into(id);
  return id;
}

std::string MariaDbDialect::upsert(std::string_view table, const std::vector<std::string>& columns,
                                   const std::vector<std::string>& key) const {
  auto [insert, updates] = upsert_parts(
      table, columns, key, [](const std::string& column) { return "VALUES(" + column + ")"; });
  // Every column a key: a duplicate changes nothing.
  if (updates.empty() && !key.empty()) updates = key.front() + " = " + key.front();
  return insert + " ON DUPLICATE KEY UPDATE " + updates;
}

void MariaDbDialect::lock_migrations(soci::session& session) const {
  soci::indicator indicator = soci::i_ok;
  long long got = 0;
  session << "SELECT GET_LOCK(" + std::string(MIGRATION_LOCK) + ", " +
                 std::to_string(MIGRATION_LOCK_TIMEOUT_SECONDS) + ")",
      soci::into(got, indicator);
  if (indicator != soci::i_ok || got != 1) {
    throw soci::soci_error("another process held the migration lock for more than " +
                           std::to_string(MIGRATION_LOCK_TIMEOUT_SECONDS) + " s");
  }
}

void MariaDbDialect::unlock_migrations(soci::session& session) const {
  soci::indicator indicator = soci::i_ok;
  long long released = 0;
  session << "SELECT RELEASE_LOCK(" + std::string(MIGRATION_LOCK) + ")",
      soci::into(released, indicator);
}

void MariaDbDialect::configure(soci::session& session) const {
  // The connection string already asks for utf8mb4 (the client escapes in it); the collation is
  // the one the tables use, so literals compare the way columns do.
  session << "SET NAMES utf8mb4 COLLATE utf8mb4_bin";
  session << "SET SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,"
             "NO_ZERO_DATE,NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION'";
  // What the stores' locking was written for, whatever the server's default.
  session << "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ";
  session << "SET SESSION autocommit = 1";
}

SqlFailure MariaDbDialect::classify(const soci::soci_error& error) const {
  const auto* mysql = dynamic_cast<const soci::mysql_soci_error*>(&error);
  if (mysql == nullptr) {
    return error.get_error_category() == soci::soci_error::connection_error
               ? SqlFailure::connection_lost
               : SqlFailure::permanent;
  }
  switch (mysql->err_num_) {
    case ER_LOCK_DEADLOCK:
      return SqlFailure::deadlock;
    case ER_LOCK_WAIT_TIMEOUT:
      return SqlFailure::transient;
    case ER_SERVER_SHUTDOWN:
    case ER_CONNECTION_KILLED:
    case CR_CONNECTION_ERROR_CODE:
    case CR_CONN_HOST_ERROR_CODE:
    case CR_SERVER_GONE_ERROR_CODE:
    case CR_SERVER_LOST_CODE:
    case CR_SERVER_LOST_EXTENDED_CODE:
      return SqlFailure::connection_lost;
    default:
      return mysql->get_error_category() == soci::soci_error::connection_error
                 ? SqlFailure::connection_lost
                 : SqlFailure::permanent;
  }
}

std::string_view MariaDbDialect::placeholder(std::string_view name) const {
  if (name == "ID") return "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY";
  if (name == "TEXT") return "LONGTEXT";
  if (name == "BLOB") return "LONGBLOB";
  if (name == "TABLE") return " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
  throw std::invalid_argument("migration: no MariaDB spelling for {" + std::string(name) + "}");
}

std::string MariaDbDialect::finish_statement(std::string statement) const {
  statement = ltrim(std::move(statement));
  for (const std::string_view prefix : {"CREATE TABLE", "CREATE INDEX", "CREATE UNIQUE INDEX"}) {
    if (statement.starts_with(prefix)) {
      insert_if_not_exists(statement, prefix.size());
      return statement;
    }
  }
  if (statement.starts_with("ALTER TABLE")) {
    constexpr std::string_view ADD_COLUMN = "ADD COLUMN";
    for (auto at = statement.find(ADD_COLUMN); at != std::string::npos;
         at = statement.find(ADD_COLUMN, at + ADD_COLUMN.size())) {
      insert_if_not_exists(statement, at + ADD_COLUMN.size());
    }
  }
  return statement;
}

}  // namespace imagesprint
