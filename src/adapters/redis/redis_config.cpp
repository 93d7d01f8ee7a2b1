#include "adapters/redis/redis_config.hpp"

#include <optional>
#include <stdexcept>

#include "domain/whole_number.hpp"

namespace imagesprint::redis {
namespace {

constexpr std::string_view SCHEME = "redis://";

std::invalid_argument bad_setting(std::string_view name, const std::string& what) {
  return std::invalid_argument("setting " + std::string(name) + ": " + what);
}

bool host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_' || c == ':';
}

}  // namespace

FieldErrors RedisConnectionConfig::validate() const {
  FieldErrors errors;
  const auto bad_field = [&errors](std::string_view field, std::string what) {
    errors.push_back({"RedisConnectionConfig." + std::string(field), std::move(what)});
  };

  if (host.empty()) bad_field("host", "expected a host name or address, got ''");
  for (const char c : host) {
    if (!host_char(c)) {
      bad_field("host",
                "expected letters, digits, '.', '-', '_' or ':' (IPv6), got '" + host + "'");
      break;
    }
  }
  if (port < 1 || port > 65535) {
    bad_field("port", "expected 1 to 65535, got " + std::to_string(port));
  }
  if (db < 0) bad_field("db", "expected 0 or more, got " + std::to_string(db));
  if (connect_timeout.count() <= 0) {
    bad_field("connect_timeout",
              "expected more than 0 ms, got " + std::to_string(connect_timeout.count()));
  }
  if (command_timeout.count() <= 0) {
    bad_field("command_timeout",
              "expected more than 0 ms, got " + std::to_string(command_timeout.count()));
  }
  if (max_connections < 1 || max_connections > 1024) {
    bad_field("max_connections", "expected 1 to 1024, got " + std::to_string(max_connections));
  }
  if (pool_wait.count() < 0) {
    bad_field("pool_wait", "expected 0 ms or more, got " + std::to_string(pool_wait.count()));
  }
  if (max_attempts < 1 || max_attempts > 100) {
    bad_field("max_attempts", "expected 1 to 100, got " + std::to_string(max_attempts));
  }
  if (retry_base_delay.count() < 0 || retry_max_delay < retry_base_delay) {
    bad_field("retry_max_delay",
              "expected 0 <= retry_base_delay (" + std::to_string(retry_base_delay.count()) +
                  " ms) <= retry_max_delay (" + std::to_string(retry_max_delay.count()) + " ms)");
  }
  return errors;
}

std::string RedisConnectionConfig::describe() const {
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(SCHEME) + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/" +
         std::to_string(db);
}

bool is_redis_url(std::string_view setting) {
  return setting.starts_with(SCHEME);
}

RedisConnectionConfig parse_redis_url(std::string_view setting, std::string_view name) {
  const std::string expected =
      "expected redis://HOST:PORT[/DB], got '" + std::string(setting) + "'";
  if (!is_redis_url(setting)) throw bad_setting(name, expected);
  std::string_view rest = setting.substr(SCHEME.size());
  if (rest.find_first_of("?#") != std::string_view::npos) {
    throw bad_setting(name, "no query or fragment is supported; " + expected);
  }
  if (rest.find('@') != std::string_view::npos) {
    throw bad_setting(name, "a user or password in the URL is not supported; " + expected);
  }
  RedisConnectionConfig config;
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view db = rest.substr(slash + 1);
    if (!db.empty()) {
      const auto number = whole_number(db, 0, 1'000'000);
      if (!number) {
        throw bad_setting(name,
                          "database: expected a number 0 or more, got '" + std::string(db) + "'");
      }
      config.db = *number;
    }
  }
  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) throw bad_setting(name, "unclosed '[' in the host");
    config.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) throw bad_setting(name, expected);
      port = after.substr(1);
      if (port.empty()) throw bad_setting(name, "port: empty after ':'");
    }
  } else {
    const auto colon = authority.rfind(':');
    config.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) throw bad_setting(name, "port: empty after ':'");
    }
    if (config.host.find(':') != std::string::npos) {
      throw bad_setting(name, "an IPv6 host goes in brackets, [::1]; " + expected);
    }
  }
  if (config.host.empty()) throw bad_setting(name, "no host; " + expected);
  if (!port.empty()) {
    const auto number = whole_number(port, 1, 65535);
    if (!number) {
      throw bad_setting(name, "port: expected 1 to 65535, got '" + std::string(port) + "'");
    }
    config.port = *number;
  }
  if (const FieldErrors errors = config.validate(); !errors.empty()) {
    throw bad_setting(name, describe(errors));
  }
  return config;
}

}  // namespace imagesprint::redis
