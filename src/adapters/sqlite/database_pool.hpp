#pragma once
// A pool of SOCI sessions on one SQLite file, set up for a service: WAL journal (readers never
// block the writer), a busy timeout instead of immediate SQLITE_BUSY, foreign keys on. The record
// stores (adapters/sql) run on it through SqlDatabase; the task queue uses its sessions directly,
// with write_transaction() below. Migrations are applied at start-up, one transaction each.
#include <string>
#include <type_traits>

#include <soci/soci.h>

#include "adapters/sql/sql_database.hpp"

namespace imagesprint {

class DatabasePool final : public SqlDatabase {
 public:
  /// Opens (creating if needed) the database file with `size` sessions.
  explicit DatabasePool(const std::string& file, std::size_t size = DEFAULT_SIZE);
  ~DatabasePool() override = default;

  static constexpr std::size_t DEFAULT_SIZE = 8;

 private:
  void open(soci::session& session) override;

  std::string file_;
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
