#pragma once
// What a streamed response body reads from: bytes at offsets, of a known size and version. A
// file on disk is one; an object in a store (a local folder, S3) is another, adapted by the API
// from the ObjectStore port, so the transport never learns where the bytes live. The server
// answers Range, If-Range and If-None-Match from size() and etag() alone, and reads one chunk
// at a time: memory stays at one chunk whatever the size.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace imagesprint::http {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::uint64_t size() const = 0;
  /// A strong validator, quoted ("\"abc\""); empty: none is sent and conditions never match.
  virtual std::string etag() const = 0;
  /// Copies up to out.size() bytes from `offset`; returns how many, fewer only at the end (0 at
  /// or past it). Throws on a storage failure (the connection is then closed).
  virtual std::size_t read_at(std::uint64_t offset, std::span<std::uint8_t> out) = 0;
  /// Whether read_at may wait on a disk or a network for long: the server then calls it on its
  /// blocking pool, never on an IO thread.
  virtual bool blocks() const { return true; }
};

}  // namespace imagesprint::http
