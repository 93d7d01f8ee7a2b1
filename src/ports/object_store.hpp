#pragma once
// Port: bytes by key (a local folder embedded; an S3-compatible store distributed). Uploaded
// inputs, converted outputs and archives live here; the records only hold their keys.
//
// Keys are built by the application ("jobs/<id>/in/3"), never taken from a user, and checked by
// object_key_error() below before any use: a key can never name anything outside the store's
// root. A key is never also a folder of another key ("a" and "a/b" cannot both exist).
//
// Writes are atomic: a reader sees the old object, or the whole new one, never part of one.
// Calls are synchronous and safe from any thread. A key that object_key_error() refuses throws
// InvalidObjectKey; failures of the storage itself throw StorageError.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "domain/job.hpp"
#include "ports/storage_error.hpp"

namespace imagesprint {

/// Longest key in bytes (S3's limit).
inline constexpr std::size_t MAX_OBJECT_KEY_BYTES = 1024;
/// Longest segment between slashes in bytes (a file name on common file systems).
inline constexpr std::size_t MAX_OBJECT_KEY_SEGMENT_BYTES = 255;

/// Why `key` is refused, or nullopt when it is valid. A valid key is 1 to MAX_OBJECT_KEY_BYTES
/// of ASCII letters, digits, '-', '_', '.' and '/', in segments separated by single slashes:
/// no leading slash (absolute path), no trailing or doubled slash (empty segment), no segment
/// starting with '.' (so no "." or "..", and no clash with the stores' hidden temporary files),
/// and therefore no backslash, NUL, control character, space, '%' or non-ASCII byte either.
std::optional<std::string> object_key_error(std::string_view key);

/// The same for a prefix given to list() or remove_prefix(): empty (everything), or a valid key
/// optionally followed by a slash, or a valid key whose last segment is cut short.
std::optional<std::string> object_prefix_error(std::string_view prefix);

/// Thrown for a key or prefix that the functions above refuse; what() gives the reason.
class InvalidObjectKey : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct ObjectInfo {
  std::string key;
  std::uint64_t size = 0;      // bytes
  UnixMillis modified_at = 0;  // when this version was written
  std::string etag;            // changes whenever the content does; opaque, without quotes
  bool operator==(const ObjectInfo&) const = default;
};

/// Streams an object in. Nothing is visible under the key until commit(); destroying the writer
/// without commit() discards what was written and leaves any previous object untouched.
class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;
  /// Appends bytes. Throws StorageError (disk full ...); the writer is then unusable.
  virtual void write(std::span<const std::uint8_t> bytes) = 0;
  /// Publishes the object atomically (replacing any previous one) and durably. Call once.
  virtual ObjectInfo commit() = 0;
};

/// Random access to one version of an object: the one that existed when it was opened, even if
/// the key is overwritten or deleted meanwhile (HTTP Range requests, streaming into a ZIP).
class ObjectReader {
 public:
  virtual ~ObjectReader() = default;
  virtual const ObjectInfo& info() const = 0;
  /// Copies up to out.size() bytes starting at `offset` into `out`; returns how many. Fewer only
  /// at the end of the object; 0 at or past its end.
  virtual std::size_t read_at(std::uint64_t offset, std::span<std::uint8_t> out) = 0;
};

enum class PresignMethod { get, put };

std::string_view to_string(PresignMethod method);  // "GET", "PUT"

/// What check_presigned() found.
enum class SignatureCheck {
  valid,
  expired,    // well signed, but its time is over
  malformed,  // the expiry or signature is not in the form presign() produces
  forged,     // well formed, but not signed by this store for this method and key
};

std::string_view to_string(SignatureCheck check);  // "valid", "expired", ...

/// A URL that lets its holder GET or PUT one object until it expires, without other credentials.
struct PresignedUrl {
  std::string url;  // absolute ("https://...") when `relative` is false; otherwise a path and
                    // query to resolve against the API's own base URL ("/v1/objects/k?...")
  bool relative = false;
  UnixMillis expires_at = 0;
};

class ObjectStore {
 public:
  /// Longest validity of a presigned URL (S3 Signature V4's limit).
  static constexpr std::chrono::seconds MAX_PRESIGN_TTL{7 * 24 * 3600};

  virtual ~ObjectStore() = default;

  /// Stores `bytes` under `key`, replacing any previous object.
  virtual ObjectInfo put(std::string_view key, std::span<const std::uint8_t> bytes) = 0;

  /// Streams an object in without holding it in memory (uploads arriving in chunks).
  virtual std::unique_ptr<ObjectWriter> open_writer(std::string_view key) = 0;

  /// The whole object; nullopt when there is none. For objects known to be small (inputs have a
  /// size limit); use open_reader() for the rest.
  virtual std::optional<std::vector<std::uint8_t>> get(std::string_view key) = 0;

  /// A reader on the current version; nullptr when there is no such object.
  virtual std::unique_ptr<ObjectReader> open_reader(std::string_view key) = 0;

  /// Size, time and etag; nullopt when there is no such object.
  virtual std::optional<ObjectInfo> stat(std::string_view key) = 0;

  /// Deletes one object; false when there was none.
  virtual bool remove(std::string_view key) = 0;

  /// Deletes every object whose key starts with `prefix` (non-empty: no "delete everything" by
  /// accident); returns how many.
  virtual std::size_t remove_prefix(std::string_view prefix) = 0;

  /// The objects whose key starts with `prefix` (plain string prefix, as in S3), sorted by key.
  /// Meant for one job's objects (hundreds), not for walking a whole store.
  virtual std::vector<ObjectInfo> list(std::string_view prefix) = 0;

  /// A URL for `method` on `key` valid for `ttl` (1 s to MAX_PRESIGN_TTL; std::invalid_argument
  /// otherwise). The object need not exist (PUT). Signing needs no I/O.
  virtual PresignedUrl presign(PresignMethod method, std::string_view key,
                               std::chrono::seconds ttl) = 0;

  /// A link for downloading `key` for `ttl`, under which the browser saves it as `filename`.
  /// S3: a presigned GET to S3 itself, carrying response-content-disposition (the API may
  /// answer 302 to it). This default: presign(get), whose relative link comes back to the
  /// service's /v1/objects route, which names the file itself.
  virtual PresignedUrl presign_get(std::string_view key, std::chrono::seconds ttl,
                                   std::string_view /*filename*/) {
    return presign(PresignMethod::get, key, ttl);
  }

  /// Checks a link from presign() that came back to this service: a relative one
  /// ("/v1/objects/<key>?expires=..&signature=.."), whose route passes the request's method,
  /// the key from its path and the two query values. Stores whose links lead elsewhere (S3
  /// serves its own) keep this default, which accepts none.
  virtual SignatureCheck check_presigned(PresignMethod /*method*/, std::string_view /*key*/,
                                         std::string_view /*expires*/,
                                         std::string_view /*signature*/) const {
    return SignatureCheck::forged;
  }
};

}  // namespace imagesprint
