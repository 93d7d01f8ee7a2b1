#pragma once
// Where and how MariaDbPool connects: the `database` setting's `mysql://USER:PASS@HOST:PORT/DB`
// (MariaDB or MySQL), parsed once, plus the pool's own settings, each with its default here.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "domain/field_error.hpp"

namespace imagesprint {

struct MariaDbSettings {
  static constexpr int DEFAULT_PORT = 3306;
  static constexpr std::size_t DEFAULT_CONNECTIONS = 8;
  static constexpr std::chrono::seconds DEFAULT_CONNECT_TIMEOUT{5};
  static constexpr std::chrono::seconds DEFAULT_IO_TIMEOUT{30};
  static constexpr std::chrono::seconds DEFAULT_LOCK_WAIT_TIMEOUT{10};

  /// Server name or address (an IPv6 address without brackets). Required.
  std::string host;
  /// TCP port, 1-65535. Default 3306.
  int port = DEFAULT_PORT;
  /// Account name. Required.
  std::string user;
  /// Account password (may be empty). A secret: never logged, never in an error message.
  std::string password;
  /// Database (schema) name; it must exist. Required.
  std::string database;
  /// Sessions in the pool, at least 1: one per thread that uses the stores at once (workers,
  /// HTTP blocking pool, loops). Default 8.
  std::size_t connections = DEFAULT_CONNECTIONS;
  /// Seconds to establish a connection. Default 5.
  std::chrono::seconds connect_timeout = DEFAULT_CONNECT_TIMEOUT;
  /// Seconds a read from or write to the server may block before the connection counts as lost
  /// (a server that vanished without closing the connection). Default 30.
  std::chrono::seconds io_timeout = DEFAULT_IO_TIMEOUT;
  /// Seconds a statement waits for a row lock before its transaction is rolled back and retried
  /// (innodb_lock_wait_timeout of each session). Default 10.
  std::chrono::seconds lock_wait_timeout = DEFAULT_LOCK_WAIT_TIMEOUT;

  /// Every bad field, each by its name (never quoting a secret); the constructor refuses them.
  FieldErrors validate() const;
  /// "mysql://USER@HOST:PORT/DB": for logs, without the password.
  std::string describe() const;
};

/// Parses `mysql://USER:PASS@HOST:PORT/DB` (`mariadb://` too). USER and PASS are percent-decoded
/// (a password may hold any byte as %XX); `:PASS` and `:PORT` may be left out; an IPv6 HOST is
/// written in brackets. Throws std::invalid_argument naming what is wrong, never echoing the
/// password. The result is validated.
MariaDbSettings parse_mysql_url(std::string_view url);

}  // namespace imagesprint
