#pragma once
// An object of the ObjectStore port as the HTTP transport's ByteSource: downloads stream from
// whatever store is configured (a local folder, S3) with Range and ETag, never the whole object
// in memory, and the transport knows nothing of stores.
#include <memory>
#include <string>

#include "adapters/http/byte_source.hpp"
#include "ports/object_store.hpp"

namespace imagesprint::api {

class ObjectSource final : public http::ByteSource {
 public:
  explicit ObjectSource(std::unique_ptr<ObjectReader> reader) : reader_(std::move(reader)) {}
  std::uint64_t size() const override { return reader_->info().size; }
  /// The store's etag is opaque and unquoted; HTTP wants it quoted.
  std::string etag() const override {
    const std::string& tag = reader_->info().etag;
    return tag.empty() ? std::string() : "\"" + tag + "\"";
  }
  std::size_t read_at(std::uint64_t offset, std::span<std::uint8_t> out) override {
    return reader_->read_at(offset, out);
  }

 private:
  std::unique_ptr<ObjectReader> reader_;
};

}  // namespace imagesprint::api
