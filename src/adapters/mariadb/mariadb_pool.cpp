#include "adapters/mariadb/mariadb_pool.hpp"

#include <soci/mysql/soci-mysql.h>

#include "adapters/mariadb/mariadb_dialect.hpp"

namespace imagesprint {
namespace {

/// A value of SOCI's mysql connection string: quoted, with ' and \ escaped by a backslash.
std::string quoted(const std::string& value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string connect_string(const MariaDbSettings& s) {
  return "host=" + quoted(s.host) + " port=" + std::to_string(s.port) + " user=" + quoted(s.user) +
         " password=" + quoted(s.password) + " dbname=" + quoted(s.database) +
         " charset=utf8mb4 connect_timeout=" + std::to_string(s.connect_timeout.count()) +
         " read_timeout=" + std::to_string(s.io_timeout.count()) +
         " write_timeout=" + std::to_string(s.io_timeout.count());
}

const MariaDbSettings& validated(const MariaDbSettings& settings) {
  refuse(settings.validate());
  // libmariadb initialises itself on the first connection, which is not thread-safe: do it once
  // here (a thread-safe static), before any pool connects.
  static const int initialised = mysql_library_init(0, nullptr, nullptr);
  (void)initialised;
  return settings;
}

}  // namespace

MariaDbPool::MariaDbPool(MariaDbSettings settings)
    : SqlDatabase(MariaDbDialect::instance(), validated(settings).connections),
      settings_(std::move(settings)),
      connect_string_(connect_string(settings_)) {
  open_all();
}

void MariaDbPool::open(soci::session& session) {
  if (session.get_backend() != nullptr) session.close();
  session.open(*soci::factory_mysql(), connect_string_);
  dialect().configure(session);
  session << "SET SESSION innodb_lock_wait_timeout = " +
                 std::to_string(settings_.lock_wait_timeout.count());
}

}  // namespace imagesprint
