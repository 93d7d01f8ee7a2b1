#include "adapters/redis/redis_client.hpp"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <algorithm>
#include <random>
#include <thread>

namespace imagesprint::redis {
namespace {

using Millis = std::chrono::milliseconds;

timeval to_timeval(Millis ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

RedisValue copy_reply(const redisReply& reply) {
  RedisValue value;
  switch (reply.type) {
    case REDIS_REPLY_STRING:
      value.type = RedisValue::Type::string;
      value.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_STATUS:
      value.type = RedisValue::Type::status;
      value.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_ERROR:
      value.type = RedisValue::Type::error;
      value.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_INTEGER:
      value.type = RedisValue::Type::integer;
      value.integer = reply.integer;
      break;
    case REDIS_REPLY_ARRAY:
      value.type = RedisValue::Type::array;
      value.elements.reserve(reply.elements);
      for (std::size_t i = 0; i < reply.elements; ++i) {
        value.elements.push_back(copy_reply(*reply.element[i]));
      }
      break;
    default:
      value.type = RedisValue::Type::nil;
      break;
  }
  return value;
}

/// Error replies that mean "not now" rather than "never": Redis loading its data after a
/// restart, a script running too long, a cluster moving slots, a replica without its master.
bool transient_error(const RedisValue& value) {
  if (!value.is_error()) return false;
  // The error code is the reply's first word ("BUSYGROUP" is not "BUSY": it is final).
  const std::string_view code = std::string_view(value.text).substr(0, value.text.find(' '));
  for (const std::string_view transient : {"LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN"}) {
    if (code == transient) return true;
  }
  return false;
}

std::string describe_error(const redisContext* context) {
  if (context == nullptr) return "out of memory";
  return context->errstr[0] != '\0' ? std::string(context->errstr)
                                    : "error " + std::to_string(context->err);
}

}  // namespace

std::string RedisValue::as_string() const {
  switch (type) {
    case Type::string:
    case Type::status:
      return text;
    case Type::integer:
      return std::to_string(integer);
    default:
      throw StorageError("redis: expected a string reply");
  }
}

long long RedisValue::as_integer() const {
  if (type == Type::integer) return integer;
  if (type == Type::string) {
    try {
      std::size_t used = 0;
      const long long n = std::stoll(text, &used);
      if (used == text.size()) return n;
    } catch (const std::exception&) {
    }
  }
  throw StorageError("redis: expected an integer reply");
}

void RedisConnection::Deleter::operator()(redisContext* context) const {
  redisFree(context);
}

RedisConnection::RedisConnection(const RedisConnectionConfig& config)
    : context_(redisConnectWithTimeout(config.host.c_str(), config.port,
                                       to_timeval(config.connect_timeout))),
      command_timeout_(config.command_timeout) {
  if (!context_ || context_->err != 0) {
    throw ConnectionError("cannot connect to " + config.describe() + ": " +
                          describe_error(context_.get()));
  }
  redisSetTimeout(context_.get(), to_timeval(command_timeout_));
  redisEnableKeepAlive(context_.get());
  if (config.db != 0) {
    const RedisValue selected = call({"SELECT", std::to_string(config.db)});
    if (selected.is_error()) {
      throw StorageError("redis: SELECT " + std::to_string(config.db) + ": " + selected.text);
    }
  }
}

RedisConnection::~RedisConnection() = default;

int RedisConnection::fd() const {
  return context_->fd;
}

RedisValue RedisConnection::call(const std::vector<std::string>& argv,
                                 std::optional<std::chrono::milliseconds> timeout) {
  if (broken_) throw ConnectionError("the connection was lost");
  std::vector<const char*> args;
  std::vector<std::size_t> lengths;
  args.reserve(argv.size());
  lengths.reserve(argv.size());
  for (const std::string& arg : argv) {
    args.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  if (timeout) redisSetTimeout(context_.get(), to_timeval(*timeout));
  ReplyPtr reply(static_cast<redisReply*>(redisCommandArgv(
      context_.get(), static_cast<int>(args.size()), args.data(), lengths.data())));
  if (!reply) {
    broken_ = true;  // hiredis cannot resynchronise a context after an error
    throw ConnectionError(describe_error(context_.get()));
  }
  if (timeout) redisSetTimeout(context_.get(), to_timeval(command_timeout_));
  return copy_reply(*reply);
}

void RedisConnection::send(const std::vector<std::string>& argv) {
  if (broken_) throw ConnectionError("the connection was lost");
  std::vector<const char*> args;
  std::vector<std::size_t> lengths;
  for (const std::string& arg : argv) {
    args.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  int done = 0;
  if (redisAppendCommandArgv(context_.get(), static_cast<int>(args.size()), args.data(),
                             lengths.data()) != REDIS_OK) {
    broken_ = true;
    throw ConnectionError(describe_error(context_.get()));
  }
  while (done == 0) {
    if (redisBufferWrite(context_.get(), &done) != REDIS_OK) {
      broken_ = true;
      throw ConnectionError(describe_error(context_.get()));
    }
  }
}

std::vector<RedisValue> RedisConnection::receive() {
  if (broken_) throw ConnectionError("the connection was lost");
  if (redisBufferRead(context_.get()) != REDIS_OK) {
    broken_ = true;
    throw ConnectionError(describe_error(context_.get()));
  }
  std::vector<RedisValue> replies;
  for (;;) {
    void* raw = nullptr;
    if (redisGetReplyFromReader(context_.get(), &raw) != REDIS_OK) {
      broken_ = true;
      throw ConnectionError(describe_error(context_.get()));
    }
    if (raw == nullptr) break;
    const ReplyPtr reply(static_cast<redisReply*>(raw));
    replies.push_back(copy_reply(*reply));
  }
  return replies;
}

RedisScript::RedisScript(std::string name, std::string source)
    : name_(std::move(name)), source_(std::move(source)) {}

RedisClient::RedisClient(RedisConnectionConfig config) : config_(std::move(config)) {
  refuse(config_.validate());
}

RedisClient::~RedisClient() = default;

std::unique_ptr<RedisConnection> RedisClient::acquire() {
  std::unique_lock lock(mutex_);
  const bool got = freed_.wait_for(
      lock, config_.pool_wait, [&] { return !idle_.empty() || open_ < config_.max_connections; });
  if (!got) {
    throw StorageError("redis: all " + std::to_string(config_.max_connections) +
                       " connections stayed busy for " + std::to_string(config_.pool_wait.count()) +
                       " ms");
  }
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return connection;
  }
  ++open_;
  lock.unlock();
  try {
    return std::make_unique<RedisConnection>(config_);
  } catch (...) {
    lock.lock();
    --open_;
    freed_.notify_one();
    throw;
  }
}

void RedisClient::release(std::unique_ptr<RedisConnection> connection) {
  const std::lock_guard lock(mutex_);
  if (connection && !connection->broken()) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;
    // One broken connection usually means Redis restarted or went away: the idle ones are as
    // dead, so they are dropped now rather than each failing one call.
    open_ -= idle_.size();
    idle_.clear();
  }
  freed_.notify_all();
}

template <typename Fn>
RedisValue RedisClient::with_retries(std::string_view what, Fn&& fn) {
  thread_local std::minstd_rand jitter(std::random_device{}());
  for (int attempt = 1;; ++attempt) {
    std::string failure;
    try {
      std::unique_ptr<RedisConnection> connection = acquire();
      RedisValue value;
      try {
        value = fn(*connection);
      } catch (...) {
        release(std::move(connection));
        throw;
      }
      release(std::move(connection));
      if (!transient_error(value)) {
        if (value.is_error()) throw StorageError("redis: " + std::string(what) + ": " + value.text);
        return value;
      }
      failure = value.text;
    } catch (const ConnectionError& e) {
      failure = e.what();
    }
    if (attempt >= config_.max_attempts) {
      // Still unreachable or not ready: a ConnectionError (a StorageError), so a caller can
      // tell "Redis is away" from an error Redis answered.
      throw ConnectionError("redis: " + std::string(what) + " at " + config_.describe() +
                            " failed after " + std::to_string(attempt) + " attempts: " + failure);
    }
    const auto ceiling =
        std::min<long long>(config_.retry_max_delay.count(),
                            config_.retry_base_delay.count() * (1LL << std::min(attempt - 1, 20)));
    std::uniform_int_distribution<long long> pick(ceiling / 2, ceiling);
    std::this_thread::sleep_for(Millis(pick(jitter)));
  }
}

RedisValue RedisClient::command(const std::vector<std::string>& argv, std::string_view what) {
  return with_retries(what, [&](RedisConnection& connection) { return connection.call(argv); });
}

RedisValue RedisClient::run_script(RedisConnection& connection, RedisScript& script,
                                   const std::vector<std::string>& keys,
                                   const std::vector<std::string>& args) {
  std::string sha1;
  {
    const std::lock_guard lock(script.mutex_);
    sha1 = script.sha1_;
  }
  for (int round = 0; round < 2; ++round) {
    if (sha1.empty()) {
      const RedisValue loaded = connection.call({"SCRIPT", "LOAD", script.source()});
      if (loaded.type != RedisValue::Type::string) return loaded;  // an error reply
      sha1 = loaded.text;
      const std::lock_guard lock(script.mutex_);
      script.sha1_ = sha1;
    }
    std::vector<std::string> argv;
    argv.reserve(3 + keys.size() + args.size());
    argv.push_back("EVALSHA");
    argv.push_back(sha1);
    argv.push_back(std::to_string(keys.size()));
    argv.insert(argv.end(), keys.begin(), keys.end());
    argv.insert(argv.end(), args.begin(), args.end());
    RedisValue value = connection.call(argv);
    if (!(value.is_error() && value.text.starts_with("NOSCRIPT"))) return value;
    sha1.clear();  // Redis restarted (or SCRIPT FLUSH): load it again
  }
  throw StorageError("redis: script " + script.name() + " could not be loaded");
}

RedisValue RedisClient::eval(RedisScript& script, const std::vector<std::string>& keys,
                             const std::vector<std::string>& args, std::string_view what) {
  return with_retries(what, [&](RedisConnection& connection) {
    return run_script(connection, script, keys, args);
  });
}

RedisValue RedisClient::blocking_command(const std::vector<std::string>& argv, Millis blocks,
                                         std::string_view what) {
  return with_retries(what, [&](RedisConnection& connection) {
    return connection.call(argv, std::max(blocks, Millis(0)) + config_.command_timeout);
  });
}

bool RedisClient::ping() {
  // Two tries: an idle connection may have died with a Redis restart, which the first try finds
  // out (and the pool then drops every idle one); the second opens a new one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      std::unique_ptr<RedisConnection> connection = acquire();
      RedisValue value;
      try {
        value = connection->call({"PING"});
      } catch (...) {
        release(std::move(connection));
        throw;
      }
      release(std::move(connection));
      return value.type == RedisValue::Type::status && value.text == "PONG";
    } catch (const ConnectionError&) {
      continue;
    } catch (const StorageError&) {
      return false;
    }
  }
  return false;
}

}  // namespace imagesprint::redis
