#pragma once
// Use case: resumable uploads (the tus 1.0 protocol's core, creation, termination and expiration,
// served on /v1/uploads). A file is announced with its length, then its bytes arrive in any
// number of appends, each starting where the previous one stopped; a connection that drops
// mid-way loses nothing that arrived, and the client asks for the offset and goes on from there.
// Until a job takes it (app/job_from_uploads.hpp), an upload is kept for `ttl` after its
// creation; then the janitor deletes it (expire()).
//
// Where the bytes go: the ObjectStore has no append (S3 has none), so each append writes one
// object of its own, uploads/<id>/<offset where its bytes start> (object_keys::upload_part), and
// the record's offset says how many bytes are kept. The job that takes the upload streams the
// parts in order into its input: memory stays bounded (one read buffer), on a local folder and
// on S3 alike. A part whose append died before the record was updated (a crash) starts at or
// beyond the record's offset: the next append removes such parts before it writes, and readers
// ignore them.
//
// Limits come before any byte: the announced length against the per-file limit, the user's
// quotas counting their open uploads as queued images and their lengths as stored bytes, and an
// append that would go past the announced length is refused (nothing of it kept).
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "app/clock.hpp"
#include "app/job_upload.hpp"
#include "domain/expected.hpp"
#include "ports/job_store.hpp"
#include "ports/object_store.hpp"
#include "ports/secrets.hpp"
#include "ports/upload_store.hpp"

namespace imagesprint {

struct ResumableUploadSettings {
  static constexpr std::chrono::seconds DEFAULT_TTL{24 * 3600};
  static constexpr std::chrono::seconds DEFAULT_CLAIM{15 * 60};
  /// How long an upload is kept after its creation (Upload-Expires), seconds.
  std::chrono::seconds ttl = DEFAULT_TTL;
  /// How long one append may hold an upload at most, seconds: a process that died mid-append
  /// blocks the upload this long. Longer than an append of the largest file may take.
  std::chrono::seconds claim = DEFAULT_CLAIM;
};

struct ResumableUploadDeps {
  UploadStore& uploads;
  JobStore& jobs;
  ObjectStore& objects;
  const Secrets& secrets;
  Clock now;
};

/// What an append ended with: the upload's offset now.
struct AppendResult {
  std::int64_t offset = 0;
  UnixMillis expires_at = 0;
};

/// One append in progress: holds the upload's claim and the part being written. end() commits
/// what arrived (all of it, also when the connection broke mid-way) and moves the offset; after
/// a refused or failed write() it keeps nothing. The destructor ends it if end() was not called.
class UploadAppend {
 public:
  UploadAppend(ResumableUploadDeps deps, Upload upload, std::string token);
  ~UploadAppend();
  UploadAppend(const UploadAppend&) = delete;
  UploadAppend& operator=(const UploadAppend&) = delete;

  /// Appends bytes; refused (too_large naming "Upload-Length") past the announced length.
  /// Rethrows the store's StorageError when it fails the write: end() then keeps nothing of
  /// this append (the part may hold a torn write), and the client resumes from the old offset.
  Expected<bool> write(std::span<const std::uint8_t> bytes);
  /// Commits the part and releases the claim; the offset after it.
  Expected<AppendResult> end();

 private:
  ResumableUploadDeps deps_;
  Upload upload_;
  std::string token_;
  std::unique_ptr<ObjectWriter> writer_;
  std::int64_t received_ = 0;
  bool refused_ = false;  // past the length, or the store failed a write: nothing is kept
  bool ended_ = false;
};

class ResumableUploads {
 public:
  ResumableUploads(ResumableUploadDeps deps, UploadLimits limits, ResumableUploadSettings settings);

  /// Announces a file of `length` bytes. Refusals name "Upload-Length" (413 past the per-file
  /// limit), "Upload-Metadata" (`metadata`, the header as sent, is not UTF-8) or the quota (429).
  /// `filename` and `filetype` may be any bytes: bad UTF-8 in them becomes U+FFFD, and they are
  /// cut to 255 code points, as a multipart upload's file name is.
  Expected<Upload> create(std::int64_t user_id, std::int64_t length, const std::string& filename,
                          const std::string& filetype, const std::string& metadata);

  /// The user's upload (not_found for none, or another user's). An expired one is returned too:
  /// the caller answers it as gone (expired()).
  Expected<Upload> find(std::int64_t user_id, const std::string& id);
  bool expired(const Upload& upload) const { return upload.expires_at <= deps_.now(); }

  /// Starts an append at `offset`, which must be the upload's offset (conflict naming
  /// "Upload-Offset" otherwise, also while another append runs). `declared`: the request's
  /// Content-Length when known, checked against the length before a byte is read.
  Expected<std::unique_ptr<UploadAppend>> begin_append(std::int64_t user_id, const std::string& id,
                                                       std::int64_t offset,
                                                       std::optional<std::int64_t> declared);

  /// Deletes the upload and its bytes (tus termination); not_found when there is none.
  Expected<bool> terminate(std::int64_t user_id, const std::string& id);

  /// The janitor's sweep: deletes the records and bytes of the uploads past their expiry, at
  /// most `batch`; returns how many.
  int expire(int batch = 100);

  UploadStore& store() const { return deps_.uploads; }
  const UploadLimits& limits() const { return limits_; }
  const ResumableUploadSettings& settings() const { return settings_; }

 private:
  ResumableUploadDeps deps_;
  UploadLimits limits_;
  ResumableUploadSettings settings_;
};

/// The parts of `upload` that its offset covers, in order; an Error (conflict naming "uploads")
/// when they do not add up to it. For readers (the job that takes the upload).
Expected<std::vector<ObjectInfo>> upload_parts(ObjectStore& objects, const Upload& upload);

}  // namespace imagesprint
