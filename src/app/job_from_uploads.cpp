#include "app/job_from_uploads.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <utility>

#include "app/object_keys.hpp"
#include "app/resumable_uploads.hpp"

namespace imagesprint {
namespace {

/// A claim longer than any creation takes: reading at most max_files * max_file_bytes, after the
/// wait for uploads still arriving (at most max_await_millis, added to it).
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

/// The claims held on the uploads, by slot; released (as they were) unless the job took them.
class Claims {
 public:
  Claims(UploadStore& uploads, std::size_t slots) : uploads_(uploads), held_(slots) {}
  ~Claims() {
    for (const auto& held : held_) {
      if (!held) continue;
      try {
        uploads_.release(held->first.id, held->second, held->first.offset);
      } catch (const std::exception&) {
        // The claim lapses by itself.
      }
    }
  }
  Claims(const Claims&) = delete;
  Claims& operator=(const Claims&) = delete;

  void add(std::size_t slot, Upload upload, std::string token) {
    held_[slot].emplace(std::move(upload), std::move(token));
  }
  /// The claimed upload of `slot`, or nullptr.
  const Upload* upload(std::size_t slot) const {
    return held_[slot] ? &held_[slot]->first : nullptr;
  }
  /// The job took them: each becomes taken by `job_id`, its parts deleted.
  void hand_to(const std::string& job_id, ObjectStore& objects) {
    for (auto& held : held_) {
      if (!held) continue;
      uploads_.release(held->first.id, held->second, held->first.offset, job_id);
      try {
        objects.remove_prefix(object_keys::upload_prefix(held->first.id));
      } catch (const std::exception&) {
        // The janitor removes them with the record.
      }
      held.reset();
    }
  }

 private:
  UploadStore& uploads_;
  std::vector<std::optional<std::pair<Upload, std::string>>> held_;
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

/// What one attempt to claim an upload found.
struct ClaimOutcome {
  bool claimed = false;
  std::int64_t offset = 0;            // not claimed: the bytes that had arrived
  std::optional<CreatedJob> earlier;  // the job a retry with the same key made of it
};

}  // namespace

struct JobFromUploads::State {
  State(const UploadDeps& d, const UploadLimits& l, UploadStore& u, std::int64_t user,
        JobFromUploadsRequest r)
      : deps(d),
        limits(l),
        uploads(u),
        user_id(user),
        request(std::move(r)),
        all(all_ids(request)),
        claims(u, all.size()),
        job(d, l, user, request.idempotency_key) {}

  static std::vector<std::string> all_ids(const JobFromUploadsRequest& r) {
    std::vector<std::string> ids = r.upload_ids;
    if (r.watermark_upload) ids.push_back(*r.watermark_upload);
    return ids;
  }
  /// The watermark's upload stands after the images.
  Slot slot(std::size_t i) const { return Slot{i, i >= request.upload_ids.size()}; }

  std::optional<Error> check();
  Expected<ClaimOutcome> try_claim(std::size_t i);
  Expected<UploadsProgress> waiting(std::size_t i, std::int64_t offset);

  UploadDeps deps;
  UploadLimits limits;
  UploadStore& uploads;
  std::int64_t user_id;
  JobFromUploadsRequest request;
  std::vector<std::string> all;        // the ids: the images, then the logo's
  std::vector<std::size_t> order;      // the slots in the order the job takes them
  std::size_t next = 0;                // position in `order` of the next upload to take
  bool checked = false;                // check() passed
  UnixMillis started = 0;              // when the request was checked
  std::size_t waited_slot = SIZE_MAX;  // the upload last waited for, and its offset then ...
  std::int64_t waited_offset = -1;
  UnixMillis waited_since = 0;         // ... unchanged since this time
  std::optional<CreatedJob> answered;  // check(): a retry's job, made by its first request
  Claims claims;  // before `job`: released after the job discarded what it wrote
  JobUpload job;
};

/// Checks the request and claims every upload that is complete (without await_uploads: every
/// upload, or a refusal), then gives the job its options.
std::optional<Error> JobFromUploads::State::check() {
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
  std::set<std::string> seen;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!seen.insert(all[i]).second) {
      return upload_error(ErrorCode::invalid_request, slot(i), "named twice");
    }
  }
  started = deps.now();
  for (std::size_t i = 0; i < all.size(); ++i) {
    auto outcome = try_claim(i);
    if (!outcome) return outcome.error();
    if (outcome->earlier) {  // advance() answers it
      answered = std::move(outcome->earlier);
      return std::nullopt;
    }
  }

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
  // Neither: the defaults, settled now (the whole request is known), so that each image is
  // queued as it is taken rather than all of them at the end.
  if (!request.options && !request.preset) {
    if (auto set = job.set_options("{}"); !set) return set.error();
  }
  if (request.name) {
    if (auto set = job.set_name(*request.name); !set) return set.error();
  }
  // The logo (last of the slots) first: with it stored, each image can start converting as soon
  // as it is streamed in (JobUpload), rather than all of them after the logo.
  if (request.watermark_upload) order.push_back(all.size() - 1);
  for (std::size_t i = 0; i < ids.size(); ++i) order.push_back(i);
  return std::nullopt;
}

Expected<ClaimOutcome> JobFromUploads::State::try_claim(std::size_t i) {
  const UnixMillis now = deps.now();
  const auto upload = uploads.find(user_id, all[i]);
  if (!upload) return upload_error(ErrorCode::not_found, slot(i), "no such upload");
  if (upload->expires_at <= now && upload->job_id.empty()) {
    return upload_error(ErrorCode::not_found, slot(i), "the upload expired");
  }
  if (request.await_uploads && upload->job_id.empty() && !upload->complete()) {
    return ClaimOutcome{false, upload->offset, std::nullopt};
  }
  const std::string token = deps.secrets.random_token(16);
  const UnixMillis until =
      now + CLAIM_MILLIS + (request.await_uploads ? limits.max_await_millis : 0);
  switch (uploads.claim(user_id, all[i], upload->length, token, now, until)) {
    case UploadClaim::claimed:
      claims.add(i, *upload, token);
      return ClaimOutcome{true, upload->length, std::nullopt};
    case UploadClaim::not_found:
      return upload_error(ErrorCode::not_found, slot(i), "no such upload");
    case UploadClaim::offset_mismatch:
      if (request.await_uploads) return ClaimOutcome{false, upload->offset, std::nullopt};
      return upload_error(ErrorCode::conflict, slot(i),
                          "unfinished: " + std::to_string(upload->offset) + " of " +
                              std::to_string(upload->length) + " bytes arrived");
    case UploadClaim::busy:
      // Waiting: another request holds it (a last append, or a retry of this job's request
      // that began first: once that one has made the job, its key answers it here).
      if (request.await_uploads) return ClaimOutcome{false, upload->offset, std::nullopt};
      return upload_error(ErrorCode::conflict, slot(i), "still being appended to");
    case UploadClaim::taken:
      if (auto earlier =
              earlier_job(deps.jobs, uploads, user_id, all[i], request.idempotency_key)) {
        return ClaimOutcome{false, upload->offset, CreatedJob{*earlier, false}};
      }
      return upload_error(ErrorCode::conflict, slot(i), "a job took this upload already");
  }
  return upload_error(ErrorCode::conflict, slot(i), "could not be claimed");
}

Expected<UploadsProgress> JobFromUploads::State::waiting(std::size_t i, std::int64_t offset) {
  const UnixMillis now = deps.now();
  if (now - started >= limits.max_await_millis) {
    return upload_error(ErrorCode::conflict, slot(i),
                        "the uploads took longer than " +
                            std::to_string(limits.max_await_millis / 1000) +
                            " s to arrive; make the job once they are complete");
  }
  if (i != waited_slot || offset != waited_offset) {
    waited_slot = i;
    waited_offset = offset;
    waited_since = now;
  } else if (now - waited_since >= STALL_MILLIS) {
    return upload_error(ErrorCode::conflict, slot(i),
                        "no bytes arrived for " + std::to_string(STALL_MILLIS / 1000) +
                            " s; make the job once the uploads are complete");
  }
  return UploadsProgress{};
}

JobFromUploads::JobFromUploads(const UploadDeps& deps, const UploadLimits& limits,
                               UploadStore& uploads, std::int64_t user_id,
                               JobFromUploadsRequest request)
    : state_(std::make_unique<State>(deps, limits, uploads, user_id, std::move(request))) {}

JobFromUploads::~JobFromUploads() = default;

Expected<UploadsProgress> JobFromUploads::advance() {
  State& s = *state_;
  if (!s.checked) {
    if (auto refusal = s.check()) return *refusal;
    s.checked = true;
  }
  if (s.answered) return UploadsProgress{false, s.answered};
  for (; s.next < s.order.size(); ++s.next) {
    const std::size_t i = s.order[s.next];
    if (!s.claims.upload(i)) {
      auto outcome = s.try_claim(i);
      if (!outcome) return outcome.error();
      if (outcome->earlier) return UploadsProgress{false, std::move(outcome->earlier)};
      if (!outcome->claimed) return s.waiting(i, outcome->offset);
    }
    if (auto streamed = stream_upload(s.job, s.deps.objects, *s.claims.upload(i), s.slot(i));
        !streamed) {
      return streamed.error();
    }
  }
  return UploadsProgress{true, std::nullopt};
}

Expected<CreatedJob> JobFromUploads::finish() {
  State& s = *state_;
  if (!s.checked || s.answered || s.next < s.order.size()) {
    return Error{ErrorCode::internal, "the job's uploads are not all taken", {}, {}, false};
  }
  auto created = s.job.finish();
  if (!created) return as_uploads_error(created.error());
  if (created->created) s.claims.hand_to(created->job.id, s.deps.objects);
  return created;
}

Expected<CreatedJob> create_job_from_uploads(const UploadDeps& deps, const UploadLimits& limits,
                                             UploadStore& uploads, std::int64_t user_id,
                                             const JobFromUploadsRequest& request) {
  JobFromUploadsRequest all_finished = request;
  all_finished.await_uploads = false;
  JobFromUploads creation(deps, limits, uploads, user_id, std::move(all_finished));
  auto progress = creation.advance();
  if (!progress) return progress.error();
  if (progress->earlier) return std::move(*progress->earlier);
  return creation.finish();
}

}  // namespace imagesprint
