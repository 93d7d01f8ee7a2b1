#pragma once
// The MariaDB server of the tests and databases of their own on it. The server is Debian's
// mariadbd, started by tests/support/mariadb_server.sh: once per CTest run as the fixture
// "mariadb_server" (IMAGESPRINT_MARIADB_STATE names its state file), or by a test for itself.
#include <cstddef>
#include <filesystem>
#include <string>

#include "adapters/mariadb/mariadb_settings.hpp"

namespace imagesprint::test {

/// Where a test server listens, from its state file (key=value lines).
struct MariaDbServerState {
  std::string host;
  int port = 0;
  std::string user;
  std::string password;
  std::string socket;
  int pid = 0;
  std::filesystem::path folder;

  /// Throws std::runtime_error when the file is missing or incomplete.
  static MariaDbServerState read(const std::filesystem::path& state_file);
};

/// The fixture's server (IMAGESPRINT_MARIADB_STATE, set by CTest).
const MariaDbServerState& shared_mariadb_server();

/// An empty database of its own on `server` (utf8mb4, binary collation), created with a name no
/// other test uses and dropped, with everything in it, when this object goes away.
class TempMariaDbDatabase {
 public:
  explicit TempMariaDbDatabase(const MariaDbServerState& server = shared_mariadb_server());
  ~TempMariaDbDatabase();
  TempMariaDbDatabase(const TempMariaDbDatabase&) = delete;
  TempMariaDbDatabase& operator=(const TempMariaDbDatabase&) = delete;

  /// Settings for a MariaDbPool of `connections` sessions on this database.
  MariaDbSettings settings(std::size_t connections) const;
  const std::string& name() const { return name_; }

 private:
  MariaDbServerState server_;
  std::string name_;
};

}  // namespace imagesprint::test
