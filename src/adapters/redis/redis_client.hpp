#pragma once
// The Redis client the adapters share: a small pool of hiredis connections with timeouts,
// reconnection with backoff (a restarted Redis is found again on the next call, or within the
// call's retries), Lua scripts run by EVALSHA (loaded again after a restart forgot them), and
// ping() for /readyz. Safe from any thread. What cannot be done surfaces as StorageError.
//
// Retries: a call is tried again (up to max_attempts, with backoff) when its connection fails
// (refused, reset, closed, timed out) or Redis answers LOADING / BUSY / TRYAGAIN / MASTERDOWN.
// A command whose answer was lost may have run: the adapters' callers are built for
// at-least-once (a lease whose answer was lost runs out and is redelivered; an enqueue done
// twice is deduplicated by its key, or is a task done twice, which every use case tolerates).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/redis/redis_config.hpp"
#include "ports/storage_error.hpp"

struct redisContext;

namespace imagesprint::redis {

/// One reply, copied out of hiredis.
struct RedisValue {
  enum class Type { nil, integer, string, status, error, array };
  Type type = Type::nil;
  long long integer = 0;
  std::string text;  // for string, status and error
  std::vector<RedisValue> elements;

  bool is_nil() const { return type == Type::nil; }
  bool is_error() const { return type == Type::error; }
  /// The text of a string or status, or an integer as text; throws StorageError otherwise.
  std::string as_string() const;
  /// An integer, or a string holding one; throws StorageError otherwise.
  long long as_integer() const;
};

/// One open connection (RAII over redisContext).
class RedisConnection {
 public:
  /// Connects (and SELECTs the database); throws ConnectionError.
  explicit RedisConnection(const RedisConnectionConfig& config);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  /// Sends one command and reads its reply. `timeout`: longer than the configured one, for a
  /// blocking command. Throws ConnectionError when the connection failed (it is then broken).
  RedisValue call(const std::vector<std::string>& argv,
                  std::optional<std::chrono::milliseconds> timeout = std::nullopt);

  bool broken() const { return broken_; }

  // For a connection that listens (Pub/Sub, on the event bus's thread):
  /// The socket, for poll().
  int fd() const;
  /// Writes a command without waiting for its reply. Throws ConnectionError.
  void send(const std::vector<std::string>& argv);
  /// Reads what the socket holds (call when poll() says it is readable) and returns every reply
  /// complete so far. Throws ConnectionError (also when Redis closed the connection).
  std::vector<RedisValue> receive();

 private:
  struct Deleter {
    void operator()(redisContext* context) const;
  };
  std::unique_ptr<redisContext, Deleter> context_;
  std::chrono::milliseconds command_timeout_;
  bool broken_ = false;
};

/// The connection failed or Redis is not ready yet (loading after a restart): worth a retry.
class ConnectionError : public StorageError {
 public:
  using StorageError::StorageError;
};

/// A Lua script run with EVALSHA; its SHA1 is learned from SCRIPT LOAD and reloaded when Redis
/// forgot it (NOSCRIPT after a restart).
class RedisScript {
 public:
  RedisScript(std::string name, std::string source);
  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }

 private:
  friend class RedisClient;
  std::string name_;
  std::string source_;
  std::mutex mutex_;
  std::string sha1_;  // under mutex_; empty until loaded
};

class RedisClient {
 public:
  explicit RedisClient(RedisConnectionConfig config);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  /// Runs one command; `what` names it in errors. An error reply throws StorageError.
  RedisValue command(const std::vector<std::string>& argv, std::string_view what);

  /// Runs a script with its keys and arguments. An error reply throws StorageError.
  RedisValue eval(RedisScript& script, const std::vector<std::string>& keys,
                  const std::vector<std::string>& args, std::string_view what);

  /// Runs a blocking command (XREADGROUP ... BLOCK, BLPOP) that may take up to `blocks` before
  /// Redis answers; the connection waits that long plus the configured command timeout. An
  /// error reply throws StorageError.
  RedisValue blocking_command(const std::vector<std::string>& argv,
                              std::chrono::milliseconds blocks, std::string_view what);

  /// Whether Redis answers PING now (one attempt, no retry): for /readyz.
  bool ping();

  const RedisConnectionConfig& config() const { return config_; }

 private:
  std::unique_ptr<RedisConnection> acquire();
  void release(std::unique_ptr<RedisConnection> connection);
  template <typename Fn>
  RedisValue with_retries(std::string_view what, Fn&& fn);
  RedisValue run_script(RedisConnection& connection, RedisScript& script,
                        const std::vector<std::string>& keys, const std::vector<std::string>& args);

  RedisConnectionConfig config_;
  std::mutex mutex_;  // guards idle_ and open_
  std::condition_variable freed_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;
  std::size_t open_ = 0;  // connections in idle_ or handed out
};

}  // namespace imagesprint::redis
