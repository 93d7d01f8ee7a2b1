#include "app/resumable_uploads.hpp"

#include "app/object_keys.hpp"
#include "app/quotas.hpp"
#include "domain/untrusted_text.hpp"
#include "domain/whole_number.hpp"

namespace imagesprint {
namespace {

Error no_such_upload() {
  return Error{ErrorCode::not_found, "no such upload", "", {}, false};
}

/// The offset a part's key names ("uploads/<id>/000000000001024" -> 1024), or -1.
std::int64_t part_offset(const std::string& key) {
  const auto slash = key.rfind('/');
  return whole_number<std::int64_t>(std::string_view(key).substr(slash + 1)).value_or(-1);
}

/// Removes the parts an append left behind without moving the offset (it died before that):
/// those starting at or beyond `offset`. Called with the upload claimed.
void remove_unacknowledged_parts(ObjectStore& objects, const Upload& upload) {
  for (const ObjectInfo& part : objects.list(object_keys::upload_prefix(upload.id))) {
    if (part_offset(part.key) >= upload.offset) objects.remove(part.key);
  }
}

}  // namespace

UploadAppend::UploadAppend(ResumableUploadDeps deps, Upload upload, std::string token)
    : deps_(std::move(deps)), upload_(std::move(upload)), token_(std::move(token)) {}

UploadAppend::~UploadAppend() {
  if (ended_) return;
  try {
    (void)end();
  } catch (const std::exception&) {
    // The claim lapses by itself; the part, uncommitted or beyond the offset, is removed by the
    // next append or the janitor.
  }
}

Expected<bool> UploadAppend::write(std::span<const std::uint8_t> bytes) {
  if (refused_ || ended_) return false;
  if (upload_.offset + received_ + static_cast<std::int64_t>(bytes.size()) > upload_.length) {
    refused_ = true;
    writer_.reset();  // an uncommitted writer keeps nothing
    return Error{ErrorCode::too_large,
                 "Upload-Length: the upload is " + std::to_string(upload_.length) +
                     " bytes; this request goes past it",
                 "Upload-Length",
                 {},
                 false};
  }
  if (bytes.empty()) return true;
  if (!writer_) {
    writer_ = deps_.objects.open_writer(object_keys::upload_part(upload_.id, upload_.offset));
  }
  try {
    writer_->write(bytes);
  } catch (...) {
    refused_ = true;
    writer_.reset();  // unusable after a failed write; uncommitted, it keeps nothing
    throw;
  }
  received_ += static_cast<std::int64_t>(bytes.size());
  return true;
}

Expected<AppendResult> UploadAppend::end() {
  if (ended_) return AppendResult{upload_.offset, upload_.expires_at};
  ended_ = true;
  const std::int64_t offset = refused_ ? upload_.offset : upload_.offset + received_;
  const bool wrote = !refused_ && writer_ && received_ > 0;
  if (wrote) writer_->commit();
  writer_.reset();
  if (!deps_.uploads.release(upload_.id, token_, offset)) {
    // Deleted meanwhile (or the claim lapsed and another append took over): this part is not
    // the upload's.
    if (wrote) deps_.objects.remove(object_keys::upload_part(upload_.id, upload_.offset));
    return no_such_upload();
  }
  upload_.offset = offset;
  return AppendResult{offset, upload_.expires_at};
}

ResumableUploads::ResumableUploads(ResumableUploadDeps deps, UploadLimits limits,
                                   ResumableUploadSettings settings)
    : deps_(std::move(deps)), limits_(limits), settings_(settings) {}

Expected<Upload> ResumableUploads::create(std::int64_t user_id, std::int64_t length,
                                          const std::string& filename, const std::string& filetype,
                                          const std::string& metadata) {
  if (length < 0) {
    return Error{ErrorCode::invalid_request,
                 "Upload-Length: expected a number of bytes",
                 "Upload-Length",
                 {},
                 false};
  }
  if (length > limits_.max_file_bytes) {
    return Error{ErrorCode::too_large,
                 "Upload-Length: larger than the limit of " +
                     std::to_string(limits_.max_file_bytes) + " bytes per file",
                 "Upload-Length",
                 {},
                 false};
  }
  if (!is_valid_utf8(metadata)) {
    return Error{ErrorCode::invalid_request,
                 "Upload-Metadata: expected UTF-8 text",
                 "Upload-Metadata",
                 {},
                 false};
  }
  const UnixMillis now = deps_.now();
  // An open upload will become one image of a job: it counts as a queued image and its length
  // as stored bytes, so that uploads cannot hold more than the quotas let jobs hold.
  UserUsage usage = deps_.jobs.usage(user_id);
  const UploadUsage open = deps_.uploads.usage(user_id, now);
  usage.queued_images += open.uploads;
  usage.stored_bytes += open.bytes;
  if (auto refusal = quota_refusal(usage, limits_.quotas, 1, length)) return *refusal;

  Upload upload;
  upload.id = deps_.secrets.random_token(16);
  upload.user_id = user_id;
  upload.length = length;
  // The values were base64, so any bytes: kept as text every store takes, as a multipart
  // upload's file name is.
  upload.filename = cut_code_points(filename, UploadLimits::MAX_NAME_CODE_POINTS);
  upload.filetype = cut_code_points(filetype, 255);
  upload.metadata = metadata;
  upload.created_at = now;
  upload.expires_at =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(settings_.ttl).count();
  deps_.uploads.create(upload);
  return upload;
}

Expected<Upload> ResumableUploads::find(std::int64_t user_id, const std::string& id) {
  auto upload = deps_.uploads.find(user_id, id);
  if (!upload) return no_such_upload();
  return *upload;
}

Expected<std::unique_ptr<UploadAppend>> ResumableUploads::begin_append(
    std::int64_t user_id, const std::string& id, std::int64_t offset,
    std::optional<std::int64_t> declared) {
  auto upload = deps_.uploads.find(user_id, id);
  if (!upload) return no_such_upload();
  if (declared && offset + *declared > upload->length) {
    return Error{ErrorCode::too_large,
                 "Upload-Length: the upload is " + std::to_string(upload->length) +
                     " bytes; this request goes past it",
                 "Upload-Length",
                 {},
                 false};
  }
  const UnixMillis now = deps_.now();
  const std::string token = deps_.secrets.random_token(16);
  const auto claim = deps_.uploads.claim(
      user_id, id, offset, token, now,
      now + std::chrono::duration_cast<std::chrono::milliseconds>(settings_.claim).count());
  switch (claim) {
    case UploadClaim::claimed:
      break;
    case UploadClaim::not_found:
      return no_such_upload();
    case UploadClaim::offset_mismatch:
      return Error{ErrorCode::conflict,
                   "Upload-Offset: the upload's offset is " + std::to_string(upload->offset) +
                       ", not " + std::to_string(offset),
                   "Upload-Offset",
                   {},
                   false};
    case UploadClaim::busy:
      return Error{ErrorCode::conflict,
                   "Upload-Offset: another request is appending to this upload",
                   "Upload-Offset",
                   {},
                   true,
                   1};
    case UploadClaim::taken:
      return Error{ErrorCode::conflict,
                   "Upload-Offset: a job took this upload already",
                   "Upload-Offset",
                   {},
                   false};
  }
  upload->offset = offset;
  try {
    remove_unacknowledged_parts(deps_.objects, *upload);
  } catch (...) {
    deps_.uploads.release(id, token, offset);
    throw;
  }
  return std::make_unique<UploadAppend>(deps_, *upload, token);
}

Expected<bool> ResumableUploads::terminate(std::int64_t user_id, const std::string& id) {
  // The record first: from then on the upload is gone for every request, and a concurrent
  // append finds its claim released and removes its own part.
  if (!deps_.uploads.remove(user_id, id)) return no_such_upload();
  deps_.objects.remove_prefix(object_keys::upload_prefix(id));
  return true;
}

int ResumableUploads::expire(int batch) {
  int removed = 0;
  for (const Upload& upload : deps_.uploads.expired(deps_.now(), batch)) {
    // Bytes first: if this dies halfway the record is still due and the next sweep finishes.
    deps_.objects.remove_prefix(object_keys::upload_prefix(upload.id));
    deps_.uploads.remove(upload.id);
    ++removed;
  }
  return removed;
}

Expected<std::vector<ObjectInfo>> upload_parts(ObjectStore& objects, const Upload& upload) {
  std::vector<ObjectInfo> parts;
  std::int64_t at = 0;
  for (ObjectInfo& part : objects.list(object_keys::upload_prefix(upload.id))) {
    const std::int64_t start = part_offset(part.key);
    if (start >= upload.offset) continue;  // not acknowledged (see the header)
    if (start != at) break;
    at += static_cast<std::int64_t>(part.size);
    parts.push_back(std::move(part));
  }
  if (at != upload.offset) {
    return Error{ErrorCode::conflict,
                 "uploads: the stored bytes of upload " + upload.id + " are incomplete",
                 "uploads",
                 {},
                 false};
  }
  return parts;
}

}  // namespace imagesprint
