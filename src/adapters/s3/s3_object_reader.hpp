#pragma once
// Random access to one version of an S3 object. S3 keeps no old version once a key is
// overwritten or deleted (unless the bucket has versioning, which we do not require), so:
// - an object up to reader_snapshot_bytes is read whole when the reader opens, and the reader
//   serves that copy: it keeps its version whatever happens to the key (the port's promise);
// - a larger one is read by ranges, each with If-Match on the ETag seen at open (and the answer's
//   ETag checked too, for servers that ignore If-Match): while the version lasts the reader reads
//   it; once it is overwritten or deleted, read_at() throws StorageError naming the change
//   instead of mixing two versions. Each range request fetches at least RANGE_BYTES and keeps
//   them, so sequential small reads (a ZIP writer copying 64 KiB at a time) cost one request per
//   MiB, not one per read.
#include <memory>
#include <string>
#include <vector>

#include "adapters/s3/s3_http.hpp"
#include "ports/object_store.hpp"

namespace imagesprint::s3 {

class S3ObjectReader final : public ObjectReader {
 public:
  /// Smallest range fetched by one request of a large object (bytes).
  static constexpr std::size_t RANGE_BYTES = 1024 * 1024;

  /// Opens `key`: nullptr when there is no such object. Throws StorageError.
  static std::unique_ptr<S3ObjectReader> open(std::shared_ptr<S3Http> http, std::string_view key,
                                              std::size_t snapshot_bytes);

  const ObjectInfo& info() const override { return info_; }
  std::size_t read_at(std::uint64_t offset, std::span<std::uint8_t> out) override;

  /// Whether the whole object is held (small objects); for tests.
  bool snapshot() const { return snapshot_.has_value(); }

 private:
  S3ObjectReader(std::shared_ptr<S3Http> http, ObjectInfo info,
                 std::optional<std::vector<std::uint8_t>> snapshot);

  std::shared_ptr<S3Http> http_;
  ObjectInfo info_;
  std::optional<std::vector<std::uint8_t>> snapshot_;
  std::uint64_t window_offset_ = 0;  // where window_ starts in the object
  std::string window_;               // the last range fetched (large objects)
};

}  // namespace imagesprint::s3
