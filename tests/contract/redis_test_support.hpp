#pragma once
// What the Redis tests share: the fixture server (tests/support/redis_server.sh, started once
// per CTest run as the fixture "redis_server"; IMAGESPRINT_REDIS_STATE names its state file), a
// key prefix per test so that tests never see each other's keys, and the prefix-scoped delete
// that cleans up after one.
#include <string>
#include <string_view>

#include "adapters/redis/redis_client.hpp"

namespace imagesprint::test {

/// A redis-server as its state file describes it (host, port, pid, dir).
struct RedisServerState {
  std::string host;
  int port = 0;
  int pid = 0;
  std::string dir;
};

/// Reads a state file written by redis_server.sh; throws std::runtime_error when missing.
RedisServerState read_redis_state(const std::string& file);

/// The fixture's server (IMAGESPRINT_REDIS_STATE).
const RedisServerState& fixture_redis();

/// A connection config for `server`, with short retries so a test of an outage stays short.
redis::RedisConnectionConfig redis_connection(const RedisServerState& server);

/// A prefix no other test (nor another run on the same server) uses: "t:<kind>:<pid>:<n>:<r>".
std::string fresh_redis_prefix(std::string_view kind);

/// Deletes every key "{prefix}:..." (SCAN MATCH + UNLINK); returns how many.
long long delete_redis_prefix(redis::RedisClient& client, const std::string& prefix);

/// Runs tests/support/redis_server.sh with `command` (start, stop, restart) on `state_file`, and
/// `argument` after it when given (restart's DOWN_SECONDS); throws std::runtime_error when it
/// fails.
void redis_server_script(const std::string& command, const std::string& state_file,
                         const std::string& argument = "");

}  // namespace imagesprint::test
