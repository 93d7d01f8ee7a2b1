#include "app/job_from_uploads.hpp"

#include <array>
#include <set>

#include "app/object_keys.hpp"
#include "app/resumable_uploads.hpp"

namespace imagesprint {
namespace {

/// A claim longer than any creation takes (it reads at most max_files * max_file_bytes).
constexpr UnixMillis CLAIM_MILLIS = 15 * 60 * 1000;
constexpr std::size_t READ_CHUNK = 256 * 1024;

/// The watermark's upload stands after the images in the list of claims.
struct Slot {
  std::size_t index;
  bool watermark;
};

Error upload_error(ErrorCode code, Slot slot, const std::string& message) {
  if (slot.watermark)
    return Error{code, "watermark_upload: " + message, "watermark_upload", {}, false};
  return Error{
      code, "uploads[" + std::to_string(slot.index) + "]: " + message, "uploads", {}, false};
}

/// JobUpload names a file's problems "files" (the logo's "watermark_image"); here they are
/// uploads.
Error as_uploads_error(Error error) {
  if (error.field == "files") error.field = "uploads";
  if (error.field == "watermark_image") error.field = "watermark_upload";
  return error;
}

/// The claims held on the uploads; released (as they were) unless the job took them.
class Claims {
 public:
  Claims(UploadStore& uploads) : uploads_(uploads) {}
  ~Claims() {
    for (const auto& [upload, token] : held_) {
      try {
        uploads_.release(upload.id, token, upload.offset);
      } catch (const std::exception&) {
        // The claim lapses by itself.
      }
    }
  }
  void add(Upload upload, std::string token) { held_.emplace_back(std::move(upload), token); }
  const std::vector<std::pair<Upload, std::string>>& held() const { return held_; }
  /// The job took them: each becomes taken by `job_id`, its parts deleted.
  void hand_to(const std::string& job_id, ObjectStore& objects) {
    for (const auto& [upload, token] : held_) {
      uploads_.release(upload.id, token, upload.offset, job_id);
      try {
        objects.remove_prefix(object_keys::upload_prefix(upload.id));
      } catch (const std::exception&) {
        // The janitor removes them with the record.
      }
    }
    held_.clear();
  }

 private:
  UploadStore& uploads_;
  std::vector<std::pair<Upload, std::string>> held_;
};

/// Streams the upload's parts into the job as one file.
Expected<bool> stream_upload(JobUpload& job, ObjectStore& objects, const Upload& upload,
                             Slot index) {
  auto parts = upload_parts(objects, upload);
  if (!parts) return upload_error(ErrorCode::conflict, index, "its stored bytes are incomplete");
  auto begun = index.watermark ? job.begin_watermark() : job.begin_file(upload.filename);
  if (!begun) return as_uploads_error(begun.error());
  std::vector<std::uint8_t> buffer(READ_CHUNK);
  for (const ObjectInfo& part : *parts) {
    auto reader = objects.open_reader(part.key);
    if (!reader) return upload_error(ErrorCode::conflict, index, "its stored bytes are missing");
    for (std::uint64_t at = 0;;) {
      const std::size_t n = reader->read_at(at, buffer);
      if (n == 0) break;
      at += n;
      if (auto written = job.write({buffer.data(), n}); !written) {
        return as_uploads_error(written.error());
      }
    }
  }
  if (auto ended = job.end_file(); !ended) return as_uploads_error(ended.error());
  return true;
}

/// The job that took `upload` when the request is a retry of the one that created it.
std::optional<Job> earlier_job(JobStore& jobs, UploadStore& uploads, std::int64_t user_id,
                               const std::string& upload_id, const std::string& key) {
  if (key.empty()) return std::nullopt;
  const auto upload = uploads.find(user_id, upload_id);
  if (!upload || upload->job_id.empty()) return std::nullopt;
  auto job = jobs.find_job(user_id, upload->job_id);
  if (job && job->idempotency_key == key) return job;
  return std::nullopt;
}

}  // namespace

Expected<CreatedJob> create_job_from_uploads(const UploadDeps& deps, const UploadLimits& limits,
                                             UploadStore& uploads, std::int64_t user_id,
                                             const JobFromUploadsRequest& request) {
  const auto& ids = request.upload_ids;
  if (ids.empty()) {
    return Error{ErrorCode::invalid_request,
                 "uploads: expected at least one upload id",
                 "uploads",
                 {},
                 false};
  }
  if (static_cast<int>(ids.size()) > limits.max_files) {
    return Error{ErrorCode::too_large,
                 "uploads: too many files; a job takes at most " + std::to_string(limits.max_files),
                 "uploads",
                 {},
                 false};
  }
  std::vector<std::string> all = ids;
  if (request.watermark_upload) all.push_back(*request.watermark_upload);
  const auto slot = [&](std::size_t i) { return Slot{i, i >= ids.size()}; };
  std::set<std::string> seen;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!seen.insert(all[i]).second) {
      return upload_error(ErrorCode::invalid_request, slot(i), "named twice");
    }
  }

  const UnixMillis now = deps.now();
  Claims claims(uploads);
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto upload = uploads.find(user_id, all[i]);
    if (!upload) return upload_error(ErrorCode::not_found, slot(i), "no such upload");
    if (upload->expires_at <= now && upload->job_id.empty()) {
      return upload_error(ErrorCode::not_found, slot(i), "the upload expired");
    }
    const std::string token = deps.secrets.random_token(16);
    switch (uploads.claim(user_id, all[i], upload->length, token, now, now + CLAIM_MILLIS)) {
      case UploadClaim::claimed:
        claims.add(*upload, token);
        break;
      case UploadClaim::not_found:
        return upload_error(ErrorCode::not_found, slot(i), "no such upload");
      case UploadClaim::offset_mismatch:
        return upload_error(ErrorCode::conflict, slot(i),
                            "unfinished: " + std::to_string(upload->offset) + " of " +
                                std::to_string(upload->length) + " bytes arrived");
      case UploadClaim::busy:
        return upload_error(ErrorCode::conflict, slot(i), "still being appended to");
      case UploadClaim::taken:
        if (auto job = earlier_job(deps.jobs, uploads, user_id, all[i], request.idempotency_key)) {
          return CreatedJob{*job, false};
        }
        return upload_error(ErrorCode::conflict, slot(i), "a job took this upload already");
    }
  }

  JobUpload job(deps, limits, user_id, request.idempotency_key);
  // The options first, so that each file's output size is checked as it is read.
  if (request.options) {
    if (auto set = job.set_options(*request.options); !set) {
      // Named as they sit in the request's body ("options.quality"), as for presets.
      Error e = set.error();
      if (!e.field.empty() && e.field != "options") {
        e.message = "options." + e.message;
        e.field = "options." + e.field;
      }
      return e;
    }
  }
  if (request.preset) {
    if (auto set = job.set_preset(*request.preset); !set) return set.error();
  }
  if (request.name) {
    if (auto set = job.set_name(*request.name); !set) return set.error();
  }
  // The logo (last in the claims) first: with it stored, each image can start converting as
  // soon as it is streamed in (JobUpload), rather than all of them after the logo.
  std::vector<std::size_t> order;
  if (request.watermark_upload) order.push_back(claims.held().size() - 1);
  for (std::size_t i = 0; i < ids.size(); ++i) order.push_back(i);
  for (const std::size_t i : order) {
    if (auto streamed = stream_upload(job, deps.objects, claims.held()[i].first, slot(i));
        !streamed) {
      return streamed.error();
    }
  }
  auto created = job.finish();
  if (!created) return as_uploads_error(created.error());
  if (created->created) claims.hand_to(created->job.id, deps.objects);
  return created;
}

}  // namespace imagesprint
