#include "adapters/sqlite/database_pool.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

namespace imagesprint {

DatabasePool::DatabasePool(const std::string& file, std::size_t size) : pool_(size), size_(size) {
  for (std::size_t i = 0; i < size; ++i) {
    soci::session& sql = pool_.at(i);
    sql.open(*soci::factory_sqlite3(), "db=" + file + " timeout=10 shared_cache=false");
    sql << "PRAGMA journal_mode=WAL";
    sql << "PRAGMA synchronous=NORMAL";  // durable across process crashes; WAL + NORMAL is the
                                         // usual pick
    sql << "PRAGMA foreign_keys=ON";
    sql << "PRAGMA busy_timeout=10000";
  }
}

void DatabasePool::migrate(const std::string& component,
                           const std::vector<std::string>& migrations) {
  soci::session sql(pool_);
  sql << "CREATE TABLE IF NOT EXISTS schema_migrations (component VARCHAR(64) NOT NULL, version "
         "INTEGER NOT NULL, "
         "applied_at BIGINT NOT NULL, PRIMARY KEY (component, version))";
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    const int version = static_cast<int>(i) + 1;
    write_transaction(sql, [&](soci::session& s) {
      int applied = 0;
      s << "SELECT COUNT(*) FROM schema_migrations WHERE component = :c AND version = :v",
          soci::into(applied), soci::use(component), soci::use(version);
      if (applied > 0) return;
      // A migration may hold several statements; SOCI runs one at a time.
      std::string statement;
      for (const char c : migrations[i]) {
        if (c == ';') {
          if (statement.find_first_not_of(" \t\r\n") != std::string::npos) s << statement;
          statement.clear();
        } else {
          statement += c;
        }
      }
      if (statement.find_first_not_of(" \t\r\n") != std::string::npos) s << statement;
      s << "INSERT INTO schema_migrations (component, version, applied_at) VALUES (:c, :v, "
           "strftime('%s','now'))",
          soci::use(component), soci::use(version);
    });
  }
}

bool DatabasePool::ping() {
  try {
    soci::session sql(pool_);
    int one = 0;
    sql << "SELECT 1", soci::into(one);
    return one == 1;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace imagesprint
