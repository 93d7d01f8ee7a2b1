#pragma once
// Where Redis is and how to talk to it: the setting "redis://HOST:PORT[/DB]" (the `queue` and
// `events` settings), and the connection pool's timeouts, size and retries. Shared by the task
// queue and the event bus (adapters/redis/).
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "domain/field_error.hpp"

namespace imagesprint::redis {

struct RedisConnectionConfig {
  static constexpr std::string_view DEFAULT_HOST = "127.0.0.1";
  static constexpr int DEFAULT_PORT = 6379;
  static constexpr std::chrono::milliseconds DEFAULT_CONNECT_TIMEOUT{2'000};
  static constexpr std::chrono::milliseconds DEFAULT_COMMAND_TIMEOUT{5'000};
  static constexpr std::size_t DEFAULT_MAX_CONNECTIONS = 16;
  static constexpr std::chrono::milliseconds DEFAULT_POOL_WAIT{10'000};
  static constexpr int DEFAULT_MAX_ATTEMPTS = 6;
  static constexpr std::chrono::milliseconds DEFAULT_RETRY_BASE_DELAY{50};
  static constexpr std::chrono::milliseconds DEFAULT_RETRY_MAX_DELAY{1'000};

  /// Host name, IPv4 or IPv6 address (without brackets). Default DEFAULT_HOST.
  std::string host = std::string(DEFAULT_HOST);
  /// TCP port, 1 to 65535. Default 6379.
  int port = DEFAULT_PORT;
  /// Logical database (SELECT), 0 or more. Default 0.
  int db = 0;
  /// Time to open one connection. Default 2 s.
  std::chrono::milliseconds connect_timeout = DEFAULT_CONNECT_TIMEOUT;
  /// Time for one command's answer (a blocking wait adds its own length). Default 5 s.
  std::chrono::milliseconds command_timeout = DEFAULT_COMMAND_TIMEOUT;
  /// Connections the pool opens at most; a call beyond them waits for one. Each lease() that
  /// waits holds one while it waits. Default 16.
  std::size_t max_connections = DEFAULT_MAX_CONNECTIONS;
  /// How long a call waits for a free connection before failing with StorageError. Default 10 s.
  std::chrono::milliseconds pool_wait = DEFAULT_POOL_WAIT;
  /// Attempts per call when the connection fails or Redis is loading its data (after a restart);
  /// then StorageError. 1: no retry. Default 6 (about 1.6 s of backoff in all).
  int max_attempts = DEFAULT_MAX_ATTEMPTS;
  /// Backoff before retry n (n = 1, 2 ...): a random time between half and all of
  /// min(retry_max_delay, retry_base_delay * 2^(n-1)). Defaults 50 ms and 1 s.
  std::chrono::milliseconds retry_base_delay = DEFAULT_RETRY_BASE_DELAY;
  std::chrono::milliseconds retry_max_delay = DEFAULT_RETRY_MAX_DELAY;

  /// Every bad field, each by its name (never quoting a secret); the constructor refuses them.
  FieldErrors validate() const;

  /// "redis://127.0.0.1:6379/0" for logs.
  std::string describe() const;
};

/// Parses "redis://HOST[:PORT][/DB]" (HOST may be "[v6 address]"; PORT defaults to 6379, DB to
/// 0) into a config with the other fields at their defaults. Passwords, users and query strings
/// are refused. Throws std::invalid_argument naming the setting `name` and what is wrong.
RedisConnectionConfig parse_redis_url(std::string_view setting, std::string_view name = "queue");

/// Whether `setting` is meant as a Redis URL (starts with "redis://").
bool is_redis_url(std::string_view setting);

}  // namespace imagesprint::redis
