#include "redis_test_support.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

namespace imagesprint::test {

RedisServerState read_redis_state(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("no redis-server state file " + file);
  RedisServerState state;
  std::string line;
  while (std::getline(in, line)) {
    const auto equals = line.find('=');
    if (equals == std::string::npos) continue;
    const std::string name = line.substr(0, equals);
    const std::string value = line.substr(equals + 1);
    if (name == "host") state.host = value;
    if (name == "port") state.port = std::stoi(value);
    if (name == "pid") state.pid = std::stoi(value);
    if (name == "dir") state.dir = value;
  }
  if (state.host.empty() || state.port == 0) {
    throw std::runtime_error("incomplete redis-server state file " + file);
  }
  return state;
}

const RedisServerState& fixture_redis() {
  static const RedisServerState state = [] {
    const char* file = std::getenv("IMAGESPRINT_REDIS_STATE");
    if (file == nullptr) {
      throw std::runtime_error("IMAGESPRINT_REDIS_STATE is not set (run by ctest)");
    }
    return read_redis_state(file);
  }();
  return state;
}

redis::RedisConnectionConfig redis_connection(const RedisServerState& server) {
  redis::RedisConnectionConfig config;
  config.host = server.host;
  config.port = server.port;
  config.connect_timeout = std::chrono::milliseconds(1000);
  config.command_timeout = std::chrono::milliseconds(5000);
  config.max_attempts = 4;
  config.retry_base_delay = std::chrono::milliseconds(50);
  config.retry_max_delay = std::chrono::milliseconds(400);
  return config;
}

std::string fresh_redis_prefix(std::string_view kind) {
  static std::atomic<int> counter{0};
  static const auto run = std::random_device{}();
  return "t:" + std::string(kind) + ":" + std::to_string(getpid()) + ":" +
         std::to_string(++counter) + ":" + std::to_string(run);
}

long long delete_redis_prefix(redis::RedisClient& client, const std::string& prefix) {
  long long deleted = 0;
  std::string cursor = "0";
  // Bounded: SCAN returns to cursor 0 after one pass over the keyspace.
  for (int round = 0; round < 100'000; ++round) {
    const redis::RedisValue page =
        client.command({"SCAN", cursor, "MATCH", "{" + prefix + "}:*", "COUNT", "1000"}, "scan");
    cursor = page.elements.at(0).as_string();
    std::vector<std::string> unlink{"UNLINK"};
    for (const redis::RedisValue& key : page.elements.at(1).elements) {
      unlink.push_back(key.as_string());
    }
    if (unlink.size() > 1) deleted += client.command(unlink, "unlink").as_integer();
    if (cursor == "0") break;
  }
  return deleted;
}

void redis_server_script(const std::string& command, const std::string& state_file,
                         const std::string& argument) {
  const std::string line = std::string("bash '") + IMAGESPRINT_REDIS_SERVER_SCRIPT + "' " +
                           command + " '" + state_file + "'" +
                           (argument.empty() ? "" : " " + argument);
  if (std::system(line.c_str()) != 0) throw std::runtime_error("failed: " + line);
}

}  // namespace imagesprint::test
