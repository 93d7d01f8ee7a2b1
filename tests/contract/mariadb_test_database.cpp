#include "mariadb_test_database.hpp"

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <random>
#include <stdexcept>

namespace imagesprint::test {
namespace {

/// A connection to the server without a database, for CREATE/DROP DATABASE.
std::string admin_connect_string(const MariaDbServerState& server) {
  return "host=" + server.host + " port=" + std::to_string(server.port) + " user=" + server.user +
         " password=" + server.password + " connect_timeout=10";
}

}  // namespace

MariaDbServerState MariaDbServerState::read(const std::filesystem::path& state_file) {
  std::ifstream in(state_file);
  if (!in) throw std::runtime_error("no MariaDB server state file " + state_file.string());
  std::map<std::string, std::string> values;
  for (std::string line; std::getline(in, line);) {
    const auto equals = line.find('=');
    if (equals != std::string::npos) values[line.substr(0, equals)] = line.substr(equals + 1);
  }
  for (const char* key : {"host", "port", "user", "password", "socket", "pid", "folder"}) {
    if (!values.contains(key)) {
      throw std::runtime_error("MariaDB server state file " + state_file.string() + " lacks " +
                               key);
    }
  }
  return MariaDbServerState{values["host"],     std::stoi(values["port"]), values["user"],
                            values["password"], values["socket"],          std::stoi(values["pid"]),
                            values["folder"]};
}

const MariaDbServerState& shared_mariadb_server() {
  static const MariaDbServerState state = [] {
    const char* file = std::getenv("IMAGESPRINT_MARIADB_STATE");
    if (file == nullptr) {
      throw std::runtime_error(
          "IMAGESPRINT_MARIADB_STATE is not set (run by ctest, whose "
          "fixture mariadb_server starts the server)");
    }
    return MariaDbServerState::read(file);
  }();
  return state;
}

TempMariaDbDatabase::TempMariaDbDatabase(const MariaDbServerState& server) : server_(server) {
  static std::atomic<int> counter{0};
  static const auto run = std::random_device{}() % 1'000'000;
  name_ = "imagesprint_t" + std::to_string(::getpid()) + "_" + std::to_string(run) + "_" +
          std::to_string(++counter);
  soci::session admin(*soci::factory_mysql(), admin_connect_string(server_));
  admin << "CREATE DATABASE " + name_ + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
}

TempMariaDbDatabase::~TempMariaDbDatabase() {
  try {
    soci::session admin(*soci::factory_mysql(), admin_connect_string(server_));
    admin << "DROP DATABASE IF EXISTS " + name_;
  } catch (const std::exception&) {
    // The server is gone (a test stopped it): its folder goes with it.
  }
}

MariaDbSettings TempMariaDbDatabase::settings(std::size_t connections) const {
  MariaDbSettings settings;
  settings.host = server_.host;
  settings.port = server_.port;
  settings.user = server_.user;
  settings.password = server_.password;
  settings.database = name_;
  settings.connections = connections;
  return settings;
}

}  // namespace imagesprint::test
