#pragma once
// ObjectStore on an S3-compatible server (the distributed deployments). Key "jobs/x/in/0" is the
// S3 object "<prefix>/jobs/x/in/0" in the configured bucket. Every key and prefix is checked by
// object_key_error() / object_prefix_error() before any request. Requests are signed with SigV4
// and retried with backoff (s3_http.hpp); streamed writes use multipart uploads
// (s3_object_writer.hpp); readers keep their version as s3_object_reader.hpp explains. Presigned
// URLs are absolute S3 URLs (query-string SigV4), so check_presigned() keeps the port's default:
// S3 links never come back to this service.
//
// S3 has no "delete if exists": remove() asks with HEAD first (two requests, and a concurrent
// delete may make both callers see true). remove_prefix() lists, then deletes one by one (a
// job's objects are hundreds at most).
#include <memory>

#include "adapters/s3/s3_config.hpp"
#include "adapters/s3/s3_http.hpp"
#include "ports/object_store.hpp"

namespace imagesprint::s3 {

class S3ObjectStore final : public ObjectStore {
 public:
  /// Validates the config (std::invalid_argument); makes no request.
  explicit S3ObjectStore(S3ObjectStoreConfig config);

  ObjectInfo put(std::string_view key, std::span<const std::uint8_t> bytes) override;
  std::unique_ptr<ObjectWriter> open_writer(std::string_view key) override;
  std::optional<std::vector<std::uint8_t>> get(std::string_view key) override;
  std::unique_ptr<ObjectReader> open_reader(std::string_view key) override;
  std::optional<ObjectInfo> stat(std::string_view key) override;
  bool remove(std::string_view key) override;
  std::size_t remove_prefix(std::string_view prefix) override;
  std::vector<ObjectInfo> list(std::string_view prefix) override;
  PresignedUrl presign(PresignMethod method, std::string_view key,
                       std::chrono::seconds ttl) override;
  /// A presigned GET carrying response-content-disposition, so S3 serves the object as an
  /// attachment named `filename` (content_disposition.hpp).
  PresignedUrl presign_get(std::string_view key, std::chrono::seconds ttl,
                           std::string_view filename) override;

  /// Whether the bucket answers to our credentials (HEAD on the bucket); throws StorageError
  /// naming the failure. For start-up and readiness checks.
  void check_bucket();

  const S3ObjectStoreConfig& config() const { return config_; }

 private:
  PresignedUrl presign_with(PresignMethod method, std::string_view key, std::chrono::seconds ttl,
                            NameValues query);
  UnixMillis now() const;

  S3ObjectStoreConfig config_;
  std::shared_ptr<S3Http> http_;
};

}  // namespace imagesprint::s3
