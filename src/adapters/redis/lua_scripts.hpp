#pragma once
// The Lua scripts of the Redis adapters (adapters/redis/lua/*.lua), embedded at build time
// (redis.cmake writes redis_lua_scripts.cpp from the files). Each file documents its KEYS and
// ARGV at its top.
#include <string>
#include <string_view>

namespace imagesprint::redis::lua {

extern const std::string_view prelude;       // helpers, prepended to every script
extern const std::string_view queue_common;  // the queue's keys and helpers, after prelude
extern const std::string_view queue_enqueue;
extern const std::string_view queue_lease;
extern const std::string_view queue_begin;
extern const std::string_view queue_ack;
extern const std::string_view queue_nack;
extern const std::string_view queue_extend;
extern const std::string_view queue_depth;
extern const std::string_view events_publish;
extern const std::string_view events_replay;
extern const std::string_view rate_allow;  // RedisRateLimiter, after prelude

/// A task queue script as sent to Redis: prelude + queue_common + the script.
inline std::string queue_script(std::string_view script) {
  return std::string(prelude) + "\n" + std::string(queue_common) + "\n" + std::string(script);
}

/// An event bus (or rate limiter) script as sent to Redis: prelude + the script.
inline std::string events_script(std::string_view script) {
  return std::string(prelude) + "\n" + std::string(script);
}

}  // namespace imagesprint::redis::lua
