#include "adapters/sqlite/sqlite_dialect.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace imagesprint {

const SqliteDialect& SqliteDialect::instance() {
  static const SqliteDialect dialect;
  return dialect;
}

void SqliteDialect::begin(soci::session& session, SqlTransaction /*kind*/) const {
  // A claim needs nothing more than a write: the write lock already keeps other claimers out
  // between the SELECT and the UPDATE.
  session << "BEGIN IMMEDIATE";
}

std::int64_t SqliteDialect::last_insert_id(soci::session& session) const {
  long long id = 0;
  session << "SELECT last_insert_rowid()", soci::into(id);
  return id;
}

std::string SqliteDialect::upsert(std::string_view table, const std::vector<std::string>& columns,
                                  const std::vector<std::string>& key) const {
  const auto [insert, updates] = upsert_parts(
      table, columns, key, [](const std::string& column) { return "excluded." + column; });
  std::string keys;
  for (const std::string& column : key) keys += (keys.empty() ? "" : ", ") + column;
  return insert + " ON CONFLICT (" + keys + ") DO " +
         (updates.empty() ? "NOTHING" : "UPDATE SET " + updates);
}

void SqliteDialect::configure(soci::session& session) const {
  session << "PRAGMA journal_mode=WAL";    // readers never block the writer
  session << "PRAGMA synchronous=NORMAL";  // durable across process crashes; WAL + NORMAL is the
                                           // usual pick
  session << "PRAGMA foreign_keys=ON";
  session << "PRAGMA busy_timeout=10000";  // wait for the write lock instead of SQLITE_BUSY
}

SqlFailure SqliteDialect::classify(const soci::soci_error& /*error*/) const {
  // A file has no connection to lose, and a write lock not obtained within the busy timeout
  // (10 s) is an overloaded database, not a blip worth an immediate second wait.
  return SqlFailure::permanent;
}

std::string_view SqliteDialect::placeholder(std::string_view name) const {
  if (name == "ID") return "INTEGER PRIMARY KEY AUTOINCREMENT";
  if (name == "TEXT") return "TEXT";
  if (name == "BLOB") return "BLOB";
  if (name == "TABLE") return "";
  throw std::invalid_argument("migration: no SQLite spelling for {" + std::string(name) + "}");
}

}  // namespace imagesprint
