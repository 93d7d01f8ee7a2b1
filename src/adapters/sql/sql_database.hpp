#pragma once
// A pool of SOCI sessions on one database, in one dialect, and the one place where the record
// stores' statements meet failure:
//   - read(): statements outside a transaction (each commits on its own), for reads;
//   - write() / claim(): the dialect's write or claim transaction, COMMIT at the end, ROLLBACK on
//     any exception;
//   - a session whose connection was lost is opened again before its next use, on the same call's
//     retry (after a server restart, each pooled session meets its dead connection once);
//   - a lost connection or a lock wait timeout is retried once where that is safe: a read, or a
//     transaction that failed before its COMMIT was sent (the server rolled it back). A failed
//     COMMIT is never retried: it may have been applied;
//   - a transaction the server rolled back to break a deadlock runs again, up to
//     MAX_DEADLOCK_ATTEMPTS runs in all, after a short random pause (so the two transactions that
//     collided do not collide again in step);
//   - whatever still fails surfaces as StorageError naming the operation, so no caller sees SOCI.
// Implementations (adapters/sqlite/DatabasePool, adapters/mariadb/MariaDbPool) open the sessions.
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <soci/soci.h>

#include "adapters/sql/sql_dialect.hpp"

namespace imagesprint {

class SqlDatabase {
 public:
  /// How long a call waits for a free session before it fails with StorageError.
  static constexpr std::chrono::milliseconds DEFAULT_LEASE_TIMEOUT{30'000};
  /// Runs of one call after a lost connection or a lock wait timeout: the first and one retry.
  static constexpr int MAX_ATTEMPTS = 2;
  /// Runs of one transaction that keeps being chosen as a deadlock's victim.
  static constexpr int MAX_DEADLOCK_ATTEMPTS = 5;
  /// The longest pause before running a deadlock's victim again (a random part of it).
  static constexpr std::chrono::milliseconds MAX_DEADLOCK_PAUSE{20};

  SqlDatabase(const SqlDatabase&) = delete;
  SqlDatabase& operator=(const SqlDatabase&) = delete;
  virtual ~SqlDatabase() = default;

  const SqlDialect& dialect() const { return dialect_; }

  /// Runs `fn(session)` outside a transaction; retried once on a lost connection. `what` names
  /// the operation in errors ("job store: find_job").
  template <typename Fn>
  auto read(std::string_view what, Fn&& fn) {
    return run_returning(what, Mode::read, fn);
  }
  /// Runs `fn(session)` in one write transaction.
  template <typename Fn>
  auto write(std::string_view what, Fn&& fn) {
    return run_returning(what, Mode::write, fn);
  }
  /// Runs `fn(session)` in one claim transaction.
  template <typename Fn>
  auto claim(std::string_view what, Fn&& fn) {
    return run_returning(what, Mode::claim, fn);
  }

  /// Applies the migrations of `component` that are not applied yet, in order, each in its own
  /// transaction (on MariaDB, DDL commits by itself: its statements are written to be run again
  /// after a crash halfway), and records them in schema_migrations(component, version).
  /// Migration N is element N-1.
  void migrate(const std::string& component, const std::vector<std::string>& migrations);

  /// Cheap check that the database answers (for /readyz).
  bool ping();

  /// The sessions themselves, for code that manages its own statements and transactions (the
  /// SQLite task queue).
  soci::connection_pool& pool() { return pool_; }

 protected:
  SqlDatabase(const SqlDialect& dialect, std::size_t size,
              std::chrono::milliseconds lease_timeout = DEFAULT_LEASE_TIMEOUT);

  /// Opens every session of the pool (the derived class's constructor calls this once).
  void open_all();
  /// Connects `session` (closed, or broken) and applies the dialect's settings.
  virtual void open(soci::session& session) = 0;

 private:
  enum class Mode { read, write, claim };
  class Lease;

  template <typename Fn>
  auto run_returning(std::string_view what, Mode mode, Fn& fn) {
    using Result = std::invoke_result_t<Fn&, soci::session&>;
    if constexpr (std::is_void_v<Result>) {
      run(what, mode, [&](soci::session& s) { fn(s); });
    } else {
      std::optional<Result> result;
      run(what, mode, [&](soci::session& s) { result.emplace(fn(s)); });
      return std::move(*result);
    }
  }

  void run(std::string_view what, Mode mode, const std::function<void(soci::session&)>& body);

  const SqlDialect& dialect_;
  soci::connection_pool pool_;
  std::size_t size_;
  std::chrono::milliseconds lease_timeout_;
  /// Per pooled session: its connection was lost, open it again before its next use. Only the
  /// thread holding the session's lease reads or writes its element.
  std::vector<char> broken_;
};

}  // namespace imagesprint
