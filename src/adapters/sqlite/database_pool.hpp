#pragma once
// A pool of SOCI sessions on one SQLite file, set up for a service: WAL journal (readers never
// block the writer), a busy timeout instead of immediate SQLITE_BUSY, foreign keys on, and
// versioned migrations applied at start-up in one transaction each.
#include <memory>
#include <string>
#include <vector>

#include <soci/soci.h>

namespace imagesprint {

class DatabasePool {
 public:
  /// Opens (creating if needed) the database file with `size` sessions.
  DatabasePool(const std::string& file, std::size_t size = DEFAULT_SIZE);

  soci::connection_pool& pool() { return pool_; }

  /// Applies the migrations of `component` that are not applied yet, in order, each in its own
  /// transaction, and records them in schema_migrations(component, version).
  void migrate(const std::string& component, const std::vector<std::string>& migrations);

  /// Cheap check that the database answers (for /readyz).
  bool ping();

  static constexpr std::size_t DEFAULT_SIZE = 8;

 private:
  soci::connection_pool pool_;
  std::size_t size_;
};

/// Runs `fn(session)` inside BEGIN IMMEDIATE ... COMMIT (ROLLBACK on exception): SQLite takes the
/// write lock up front, so two writers never deadlock upgrading a read lock.
template <typename Fn>
auto write_transaction(soci::session& sql, Fn&& fn) -> decltype(fn(sql)) {
  sql << "BEGIN IMMEDIATE";
  try {
    if constexpr (std::is_void_v<decltype(fn(sql))>) {
      fn(sql);
      sql << "COMMIT";
    } else {
      auto result = fn(sql);
      sql << "COMMIT";
      return result;
    }
  } catch (...) {
    try {
      sql << "ROLLBACK";
    } catch (...) {
    }
    throw;
  }
}

}  // namespace imagesprint
