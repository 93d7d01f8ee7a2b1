#include "adapters/sql/sql_database.hpp"

#include <random>
#include <thread>

#include "ports/storage_error.hpp"

namespace imagesprint {

/// One pooled session, held for one call and given back to the pool at the end of it.
class SqlDatabase::Lease {
 public:
  Lease(SqlDatabase& db, std::string_view what) : db_(db) {
    if (!db_.pool_.try_lease(position_, static_cast<int>(db_.lease_timeout_.count()))) {
      throw StorageError(std::string(what) + ": no free database connection within " +
                         std::to_string(db_.lease_timeout_.count()) + " ms (a pool of " +
                         std::to_string(db_.size_) + ")");
    }
  }
  ~Lease() { db_.pool_.give_back(position_); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  soci::session& session() { return db_.pool_.at(position_); }
  bool broken() const { return db_.broken_[position_] != 0; }
  void set_broken(bool broken) { db_.broken_[position_] = broken ? 1 : 0; }

 private:
  SqlDatabase& db_;
  std::size_t position_ = 0;
};

namespace {

std::string_view describe(SqlFailure failure) {
  switch (failure) {
    case SqlFailure::permanent:
      return "";
    case SqlFailure::deadlock:
      return " (deadlock: transaction rolled back by the server)";
    case SqlFailure::transient:
      return " (lock wait timeout)";
    case SqlFailure::connection_lost:
      return " (connection lost)";
  }
  return "";
}

/// A random pause of up to MAX_DEADLOCK_PAUSE: two transactions that deadlocked and run again at
/// once tend to deadlock again; a random offset between them breaks the step.
void pause_after_deadlock() {
  thread_local std::minstd_rand random{std::random_device{}()};
  const auto limit = static_cast<unsigned>(SqlDatabase::MAX_DEADLOCK_PAUSE.count());
  std::this_thread::sleep_for(std::chrono::milliseconds(1 + random() % limit));
}

}  // namespace

SqlDatabase::SqlDatabase(const SqlDialect& dialect, std::size_t size,
                         std::chrono::milliseconds lease_timeout)
    : dialect_(dialect),
      pool_(size),
      size_(size),
      lease_timeout_(lease_timeout),
      broken_(size, 0) {}

void SqlDatabase::open_all() {
  for (std::size_t i = 0; i < size_; ++i) {
    try {
      open(pool_.at(i));
    } catch (const soci::soci_error& e) {
      throw StorageError(std::string(dialect_.name()) +
                         " database: cannot connect: " + e.get_error_message());
    }
  }
}

void SqlDatabase::run(std::string_view what, Mode mode,
                      const std::function<void(soci::session&)>& body) {
  const bool transaction = mode != Mode::read;
  // One session for every attempt: the retry after a lost connection opens this one again,
  // rather than drawing another that may have lost its connection too.
  Lease lease(*this, what);
  soci::session& session = lease.session();
  for (int attempt = 1;; ++attempt) {
    bool commit_sent = false;
    // After a failure: leave no transaction open on a session that goes back to the pool, and
    // mark one whose connection is gone.
    const auto settle = [&](SqlFailure failure) {
      if (failure == SqlFailure::connection_lost) {
        lease.set_broken(true);
        return;
      }
      if (!transaction) return;
      try {
        session << "ROLLBACK";
      } catch (const soci::soci_error& e) {
        // SQLite: no transaction was open (BEGIN itself failed). MariaDB: the connection died.
        if (dialect_.classify(e) == SqlFailure::connection_lost) lease.set_broken(true);
      }
    };
    try {
      if (lease.broken()) {
        open(session);
        lease.set_broken(false);
      }
      if (transaction) {
        dialect_.begin(session,
                       mode == Mode::claim ? SqlTransaction::claim : SqlTransaction::write);
      }
      body(session);
      if (transaction) {
        commit_sent = true;
        session << "COMMIT";
      }
      return;
    } catch (const soci::soci_error& e) {
      const SqlFailure failure = dialect_.classify(e);
      settle(failure);
      // Once COMMIT is sent, whether it took effect is unknown: running the transaction again
      // could apply it twice. Before, the server has rolled it back (or never saw it).
      const int attempts = failure == SqlFailure::deadlock ? MAX_DEADLOCK_ATTEMPTS : MAX_ATTEMPTS;
      if (failure != SqlFailure::permanent && !commit_sent && attempt < attempts) {
        if (failure == SqlFailure::deadlock) pause_after_deadlock();
        continue;
      }
      // The message without SOCI's context, which lists the bound values (hashes, tokens).
      throw StorageError(std::string(what) + ": " + e.get_error_message() +
                         std::string(describe(failure)) +
                         (attempt > 1 ? " (run " + std::to_string(attempt) + " times)" : ""));
    } catch (const StorageError&) {
      settle(SqlFailure::permanent);
      throw;
    } catch (const std::exception& e) {
      // A value the store could not read (std::bad_cast ...): a bug, but no caller sees SOCI.
      settle(SqlFailure::permanent);
      throw StorageError(std::string(what) + ": " + e.what());
    }
  }
}

void SqlDatabase::migrate(const std::string& component,
                          const std::vector<std::string>& migrations) {
  const std::string what = std::string(dialect_.name()) + " migrations of " + component;
  Lease lease(*this, what);
  soci::session& sql = lease.session();
  int version = 0;
  try {
    if (lease.broken()) {
      open(sql);
      lease.set_broken(false);
    }
    dialect_.lock_migrations(sql);
    try {
      for (const std::string& statement : dialect_.migration_statements(
               "CREATE TABLE IF NOT EXISTS schema_migrations (component VARCHAR(64) NOT NULL, "
               "version INTEGER NOT NULL, applied_at BIGINT NOT NULL, "
               "PRIMARY KEY (component, version)){TABLE}")) {
        sql << statement;
      }
      for (std::size_t i = 0; i < migrations.size(); ++i) {
        version = static_cast<int>(i) + 1;
        dialect_.begin(sql, SqlTransaction::write);
        try {
          int applied = 0;
          sql << "SELECT COUNT(*) FROM schema_migrations WHERE component = :c AND version = :v",
              soci::into(applied), soci::use(component), soci::use(version);
          if (applied == 0) {
            for (const std::string& statement : dialect_.migration_statements(migrations[i])) {
              sql << statement;
            }
            sql << "INSERT INTO schema_migrations (component, version, applied_at) VALUES (:c, "
                   ":v, " +
                       std::string(dialect_.unix_seconds()) + ")",
                soci::use(component), soci::use(version);
          }
          sql << "COMMIT";
        } catch (...) {
          try {
            sql << "ROLLBACK";
          } catch (const soci::soci_error&) {
          }
          throw;
        }
      }
      version = 0;
      dialect_.unlock_migrations(sql);
    } catch (...) {
      try {
        dialect_.unlock_migrations(sql);
      } catch (const soci::soci_error&) {
      }
      throw;
    }
  } catch (const soci::soci_error& e) {
    if (dialect_.classify(e) == SqlFailure::connection_lost) lease.set_broken(true);
    throw StorageError(what + (version > 0 ? " (version " + std::to_string(version) + ")" : "") +
                       ": " + e.get_error_message());
  }
}

bool SqlDatabase::ping() {
  try {
    return read("ping", [](soci::session& sql) {
      int one = 0;
      sql << "SELECT 1", soci::into(one);
      return one == 1;
    });
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace imagesprint
