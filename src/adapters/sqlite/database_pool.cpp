#include "adapters/sqlite/database_pool.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include "adapters/sqlite/sqlite_dialect.hpp"

namespace imagesprint {

DatabasePool::DatabasePool(const std::string& file, std::size_t size)
    : SqlDatabase(SqliteDialect::instance(), size), file_(file) {
  open_all();
}

void DatabasePool::open(soci::session& session) {
  if (session.get_backend() != nullptr) session.close();
  session.open(*soci::factory_sqlite3(), "db=" + file_ + " timeout=10 shared_cache=false");
  dialect().configure(session);
}

}  // namespace imagesprint
