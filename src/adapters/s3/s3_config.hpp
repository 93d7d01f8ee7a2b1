#pragma once
// The S3 object store's settings: one struct with named defaults and validate(), the setting
// string "s3://BUCKET[/PREFIX]?endpoint=URL&region=R&path_style=true" and the standard AWS
// credential variables. Secrets (the secret key, the session token) never appear in an error
// message or in describe().
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "adapters/s3/sigv4.hpp"
#include "domain/field_error.hpp"
#include "domain/job.hpp"

namespace imagesprint::s3 {

struct S3ObjectStoreConfig {
  static constexpr std::string_view DEFAULT_REGION = "us-east-1";
  static constexpr std::chrono::milliseconds DEFAULT_CONNECT_TIMEOUT{5'000};
  static constexpr std::chrono::milliseconds DEFAULT_REQUEST_TIMEOUT{300'000};
  static constexpr std::chrono::seconds DEFAULT_LOW_SPEED_TIME{30};
  static constexpr std::size_t MIB = 1024 * 1024;
  static constexpr std::size_t DEFAULT_PART_SIZE = 8 * MIB;
  static constexpr std::size_t MIN_PART_SIZE = 5 * MIB;    // S3's smallest part but the last
  static constexpr std::size_t MAX_PART_SIZE = 512 * MIB;  // ours: a part is held in memory
  static constexpr int DEFAULT_MAX_ATTEMPTS = 5;
  static constexpr std::chrono::milliseconds DEFAULT_RETRY_BASE_DELAY{100};
  static constexpr std::chrono::milliseconds DEFAULT_RETRY_MAX_DELAY{5'000};
  static constexpr std::size_t DEFAULT_READER_SNAPSHOT_BYTES = 1 * MIB;

  /// Base URL of the S3 API, scheme and host[:port] only: "https://s3.eu-west-3.amazonaws.com",
  /// "http://127.0.0.1:9000". Default (empty): "https://s3.<region>.amazonaws.com".
  std::string endpoint;
  /// Signing region. Default DEFAULT_REGION.
  std::string region = std::string(DEFAULT_REGION);
  /// Bucket name (3 to 63 of a-z 0-9 . -). Required.
  std::string bucket;
  /// Prepended with a '/' to every key ("tenant/a" stores key "k" as "tenant/a/k"); empty: none.
  /// Follows the key rules of ports/object_store.hpp.
  std::string prefix;
  /// true: http://host/bucket/key (MinIO, s3rver, most self-hosted); false (default):
  /// http://bucket.host/key (AWS's virtual-hosted style).
  bool path_style = false;
  /// Access key id, secret and optional session token. Required (all but the token).
  Credentials credentials;
  /// Time to connect, per attempt. Default DEFAULT_CONNECT_TIMEOUT.
  std::chrono::milliseconds connect_timeout = DEFAULT_CONNECT_TIMEOUT;
  /// Longest time for one request (one attempt), including a part's upload. Default
  /// DEFAULT_REQUEST_TIMEOUT.
  std::chrono::milliseconds request_timeout = DEFAULT_REQUEST_TIMEOUT;
  /// An attempt slower than 1 KiB/s for this long is abandoned (and retried). Default
  /// DEFAULT_LOW_SPEED_TIME.
  std::chrono::seconds low_speed_time = DEFAULT_LOW_SPEED_TIME;
  /// Bytes per multipart part: a streamed object larger than this is uploaded in parts of this
  /// size, one part in memory at a time. MIN_PART_SIZE to MAX_PART_SIZE; default 8 MiB.
  std::size_t part_size = DEFAULT_PART_SIZE;
  /// Attempts per request on 5xx, 429/SlowDown and network errors (1: no retry). Default 5.
  int max_attempts = DEFAULT_MAX_ATTEMPTS;
  /// Backoff before retry n (n = 1, 2 ...): a random time up to min(max, base * 2^(n-1)).
  std::chrono::milliseconds retry_base_delay = DEFAULT_RETRY_BASE_DELAY;
  std::chrono::milliseconds retry_max_delay = DEFAULT_RETRY_MAX_DELAY;
  /// An object up to this size is read whole when a reader opens it, so the reader keeps its
  /// version even if the key is overwritten or deleted (S3 keeps no old versions without
  /// bucket versioning). Larger ones are read by ranges with If-Match on the opened ETag and fail
  /// with StorageError once the object changed. Default 1 MiB.
  std::size_t reader_snapshot_bytes = DEFAULT_READER_SNAPSHOT_BYTES;
  /// Milliseconds since the Unix epoch for presigned URLs' signing time; empty: the system clock.
  /// Requests are always signed with the system clock (S3 refuses a skew over 15 minutes).
  std::function<UnixMillis()> clock;

  /// The endpoint, or the AWS default for the region.
  std::string effective_endpoint() const;

  /// Every bad field, each by its name (never quoting a secret); the constructor refuses them.
  FieldErrors validate() const;

  /// "s3://bucket/prefix at http://127.0.0.1:9000 (path-style, us-east-1, key id AKIA...)" for
  /// logs: no secret.
  std::string describe() const;
};

/// Parses "s3://BUCKET[/PREFIX]?endpoint=URL&region=R&path_style=true" (query values may be
/// percent-encoded; every parameter is optional). Credentials are left empty. Throws
/// std::invalid_argument naming the setting `name` and what is wrong.
S3ObjectStoreConfig parse_s3_setting(std::string_view setting, std::string_view name = "objects");

/// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (empty where unset).
Credentials credentials_from_environment();

}  // namespace imagesprint::s3
