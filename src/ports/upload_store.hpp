#pragma once
// Port: the records of resumable uploads (the tus protocol on /v1/uploads); SQLite embedded,
// MySQL/MariaDB distributed, through the same SQL stores as the other records. The bytes live in
// the ObjectStore (app/resumable_uploads.hpp says how); a record says how many of them arrived.
//
// Every read a user triggers is scoped by user id: another user's upload is simply not found.
// Appending is guarded by a claim: one request at a time holds an upload (a PATCH, or the job
// that takes it), taken only at the offset the client named, so two requests never write the
// same bytes and a job never reads an upload that is still growing. A claim lapses at its
// `until` time, so a process that died holding one blocks the upload only that long.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/job.hpp"

namespace imagesprint {

struct Upload {
  std::string id;            // random, URL-safe; also names its objects
  std::int64_t user_id = 0;  // the owner
  std::int64_t length = 0;   // Upload-Length: the bytes the whole file has
  std::int64_t offset = 0;   // bytes received and kept so far (0..length)
  std::string filename;      // from Upload-Metadata "filename" (the client's text, kept as is)
  std::string filetype;      // from Upload-Metadata "filetype" (informative; the bytes decide)
  std::string metadata;      // the Upload-Metadata header as sent (HEAD echoes it)
  UnixMillis created_at = 0;
  UnixMillis expires_at = 0;  // after this the upload is gone (410, then deleted by the janitor)
  std::string job_id;         // the job that took the bytes; empty while the upload is open
  bool operator==(const Upload&) const = default;

  bool complete() const { return offset == length; }
};

/// What the open uploads of one user hold (for the per-user quotas).
struct UploadUsage {
  std::int64_t uploads = 0;  // open uploads (not taken by a job)
  std::int64_t bytes = 0;    // their announced lengths: what they will hold when complete
};

enum class UploadClaim {
  claimed,          // the caller holds the upload until release() or the claim's time
  not_found,        // no such upload of this user
  offset_mismatch,  // the upload's offset is not the one the caller named
  busy,             // another request holds it
  taken,            // a job took it already
};

class UploadStore {
 public:
  virtual ~UploadStore() = default;

  /// Inserts a new upload (offset 0, no job).
  virtual void create(const Upload& upload) = 0;

  /// The user's upload; nullopt for none (or another user's).
  virtual std::optional<Upload> find(std::int64_t user_id, const std::string& id) = 0;

  /// Claims the user's upload at `offset` for `token` until `until` (see the header comment).
  virtual UploadClaim claim(std::int64_t user_id, const std::string& id, std::int64_t offset,
                            const std::string& token, UnixMillis now, UnixMillis until) = 0;

  /// Ends the claim of `token`: sets the offset to `offset` (and, non-empty, the job that took
  /// the upload). false when the claim was not held any more (lapsed and taken, or the upload
  /// was deleted): nothing changes then.
  virtual bool release(const std::string& id, const std::string& token, std::int64_t offset,
                       const std::string& job_id = "") = 0;

  /// Deletes the user's upload; false when there was none.
  virtual bool remove(std::int64_t user_id, const std::string& id) = 0;
  /// Unscoped, for the janitor.
  virtual void remove(const std::string& id) = 0;

  /// Uploads whose expires_at has passed, oldest first, at most `limit` (the janitor's sweep).
  virtual std::vector<Upload> expired(UnixMillis now, int limit) = 0;

  /// The user's open uploads (not taken by a job, not expired at `now`).
  virtual UploadUsage usage(std::int64_t user_id, UnixMillis now) = 0;
};

}  // namespace imagesprint
