#pragma once
// A pool of SOCI sessions (SOCI's mysql backend on libmariadb) on one MariaDB or MySQL database,
// for the record stores (adapters/sql) in MariaDB's dialect. Each session gets the dialect's
// settings when it connects; a session whose connection is lost (a server restart) connects again
// before its next use, and the call that met the loss is retried once where that is safe
// (SqlDatabase).
#include <string>

#include "adapters/mariadb/mariadb_settings.hpp"
#include "adapters/sql/sql_database.hpp"

namespace imagesprint {

class MariaDbPool final : public SqlDatabase {
 public:
  /// Validates `settings` (std::invalid_argument) and connects every session; throws
  /// StorageError when the server cannot be reached or refuses the account.
  explicit MariaDbPool(MariaDbSettings settings);
  ~MariaDbPool() override = default;

  const MariaDbSettings& settings() const { return settings_; }

 private:
  void open(soci::session& session) override;

  MariaDbSettings settings_;
  std::string connect_string_;  // holds the password: never logged
};

}  // namespace imagesprint
