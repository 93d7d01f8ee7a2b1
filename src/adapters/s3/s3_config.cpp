#include "adapters/s3/s3_config.hpp"

#include <cstdlib>
#include <stdexcept>

#include "ports/object_store.hpp"

namespace imagesprint::s3 {
namespace {

std::invalid_argument bad(std::string_view name, const std::string& what) {
  return std::invalid_argument("setting " + std::string(name) + ": " + what);
}

bool valid_bucket(std::string_view bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  for (const char c : bucket) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
  }
  const auto edge = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  return edge(bucket.front()) && edge(bucket.back()) && bucket.find("..") == std::string::npos;
}

/// Endpoint "http[s]://host[:port]" with an optional trailing '/', nothing else.
std::optional<std::string> endpoint_error(std::string_view endpoint) {
  std::string_view rest;
  if (endpoint.starts_with("http://")) {
    rest = endpoint.substr(7);
  } else if (endpoint.starts_with("https://")) {
    rest = endpoint.substr(8);
  } else {
    return "expected http:// or https:// followed by host[:port], got '" + std::string(endpoint) +
           "'";
  }
  if (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.empty()) return "the endpoint has no host";
  for (const char c : rest) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) {
      return "the endpoint must be scheme://host[:port] only (no path, query or credentials), "
             "got '" +
             std::string(endpoint) + "'";
    }
  }
  return std::nullopt;
}

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

}  // namespace

std::string S3ObjectStoreConfig::effective_endpoint() const {
  if (!endpoint.empty()) {
    return endpoint.ends_with('/') ? endpoint.substr(0, endpoint.size() - 1) : endpoint;
  }
  return "https://s3." + region + ".amazonaws.com";
}

FieldErrors S3ObjectStoreConfig::validate() const {
  FieldErrors errors;
  const auto fail = [&errors](std::string_view field, std::string what) {
    errors.push_back({"S3ObjectStoreConfig." + std::string(field), std::move(what)});
  };

  if (!valid_bucket(bucket)) {
    fail("bucket",
         "expected 3 to 63 of a-z 0-9 '.' '-' (starting and ending with a letter or "
         "digit), got '" +
             bucket + "'");
  }
  if (!endpoint.empty()) {
    if (const auto error = endpoint_error(endpoint)) fail("endpoint", *error);
  }
  if (region.empty()) fail("region", "expected a region such as us-east-1, got ''");
  for (const char c : region) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      fail("region", "expected a-z 0-9 '-', got '" + region + "'");
      break;
    }
  }
  if (!prefix.empty()) {
    if (const auto error = object_key_error(prefix)) fail("prefix", *error);
  }
  if (credentials.access_key_id.empty()) {
    fail("credentials.access_key_id", "missing (AWS_ACCESS_KEY_ID)");
  }
  if (credentials.secret_access_key.empty()) {
    fail("credentials.secret_access_key", "missing (AWS_SECRET_ACCESS_KEY)");
  }
  if (connect_timeout.count() <= 0) fail("connect_timeout", "must be positive");
  if (request_timeout.count() <= 0) fail("request_timeout", "must be positive");
  if (low_speed_time.count() <= 0) fail("low_speed_time", "must be positive");
  if (part_size < MIN_PART_SIZE || part_size > MAX_PART_SIZE) {
    fail("part_size", "expected " + std::to_string(MIN_PART_SIZE) + " to " +
                          std::to_string(MAX_PART_SIZE) + " bytes, got " +
                          std::to_string(part_size));
  }
  if (max_attempts < 1 || max_attempts > 20) {
    fail("max_attempts", "expected 1 to 20, got " + std::to_string(max_attempts));
  }
  if (retry_base_delay.count() < 0 || retry_max_delay < retry_base_delay) {
    fail("retry_max_delay", "expected 0 <= retry_base_delay <= retry_max_delay");
  }
  return errors;
}

std::string S3ObjectStoreConfig::describe() const {
  std::string key_id = credentials.access_key_id.substr(0, 4);
  if (credentials.access_key_id.size() > 4) key_id += "...";
  return "s3://" + bucket + (prefix.empty() ? "" : "/" + prefix) + " at " + effective_endpoint() +
         " (" + (path_style ? "path-style" : "virtual-hosted") + ", " + region + ", key id " +
         key_id + ")";
}

S3ObjectStoreConfig parse_s3_setting(std::string_view setting, std::string_view name) {
  static constexpr std::string_view SCHEME = "s3://";
  if (!setting.starts_with(SCHEME)) {
    throw bad(name, "expected s3://BUCKET[/PREFIX]?endpoint=URL&region=R&path_style=true, got '" +
                        std::string(setting) + "'");
  }
  std::string_view rest = setting.substr(SCHEME.size());
  const auto question = rest.find('?');
  std::string_view query = question == std::string_view::npos ? "" : rest.substr(question + 1);
  rest = rest.substr(0, question);
  S3ObjectStoreConfig config;
  const auto slash = rest.find('/');
  config.bucket = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) {
    std::string_view prefix = rest.substr(slash + 1);
    if (prefix.ends_with('/')) prefix.remove_suffix(1);
    config.prefix = std::string(prefix);
  }
  if (!valid_bucket(config.bucket)) {
    throw bad(name, "bucket: expected 3 to 63 of a-z 0-9 '.' '-', got '" + config.bucket + "'");
  }
  if (!config.prefix.empty()) {
    if (const auto error = object_key_error(config.prefix)) throw bad(name, "prefix: " + *error);
  }
  bool seen_endpoint = false, seen_region = false, seen_path_style = false;
  while (!query.empty()) {
    const auto amp = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, amp);
    query.remove_prefix(std::min(amp + 1, query.size()));
    if (pair.empty()) continue;
    const auto equals = pair.find('=');
    const std::string_view key = pair.substr(0, equals);
    const std::string value =
        uri_decode(equals == std::string_view::npos ? "" : pair.substr(equals + 1));
    const auto once = [&](bool& seen) {
      if (seen) throw bad(name, "parameter '" + std::string(key) + "' given twice");
      seen = true;
    };
    if (key == "endpoint") {
      once(seen_endpoint);
      if (const auto error = endpoint_error(value)) throw bad(name, "endpoint: " + *error);
      config.endpoint = value;
    } else if (key == "region") {
      once(seen_region);
      config.region = value;
      if (value.empty()) throw bad(name, "region: expected a region such as us-east-1, got ''");
    } else if (key == "path_style") {
      once(seen_path_style);
      if (value == "true" || value == "1") {
        config.path_style = true;
      } else if (value == "false" || value == "0") {
        config.path_style = false;
      } else {
        throw bad(name, "path_style: expected true or false, got '" + value + "'");
      }
    } else {
      throw bad(name, "unknown parameter '" + std::string(key) +
                          "' (expected endpoint, region, path_style)");
    }
  }
  return config;
}

Credentials credentials_from_environment() {
  return Credentials{env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"),
                     env("AWS_SESSION_TOKEN")};
}

}  // namespace imagesprint::s3
