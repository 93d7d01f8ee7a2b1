#pragma once
// Streams an object into S3 without holding it: bytes collect in one part-sized buffer; the
// first full buffer starts a multipart upload and is sent as part 1, and so on; commit() sends
// the rest and completes the upload. An object that never filled a part is one plain PUT at
// commit(). A writer destroyed without commit() (or after a failure) aborts its multipart upload,
// so S3 keeps no orphan parts and the previous object stays untouched.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "adapters/s3/s3_http.hpp"
#include "ports/object_store.hpp"

namespace imagesprint::s3 {

class S3ObjectWriter final : public ObjectWriter {
 public:
  S3ObjectWriter(std::shared_ptr<S3Http> http, std::string key, std::size_t part_size);
  ~S3ObjectWriter() override;

  void write(std::span<const std::uint8_t> bytes) override;
  ObjectInfo commit() override;

  /// The multipart upload in progress ("" before the first part); for tests.
  const std::string& upload_id() const { return upload_id_; }

 private:
  void check_usable() const;
  void start_upload();
  void send_part();  // buffer_ as the next part, then empties it
  void abort_upload() noexcept;

  std::shared_ptr<S3Http> http_;
  std::string key_;
  std::size_t part_size_;
  std::vector<std::uint8_t> buffer_;
  std::string upload_id_;
  std::vector<std::string> part_etags_;  // as S3 answered them, quotes included
  std::uint64_t size_ = 0;
  bool committed_ = false;
  bool failed_ = false;
};

}  // namespace imagesprint::s3
