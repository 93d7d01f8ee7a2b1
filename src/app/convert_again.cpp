#include "app/convert_again.hpp"

#include <array>

#include "app/object_keys.hpp"
#include "domain/options_json.hpp"

namespace imagesprint {
namespace {

Error sources_gone() {
  return Error{ErrorCode::not_found,
               "the uploaded files of this job are no longer kept",
               "sources",
               {},
               false,
               0,
               SOURCES_GONE};
}

/// Streams the object at `key` into the upload's current part; false when it is not there.
Expected<bool> copy_into(ObjectStore& objects, const std::string& key, JobUpload& upload) {
  auto reader = objects.open_reader(key);
  if (!reader) return false;
  std::array<std::uint8_t, 64 * 1024> buffer{};
  std::uint64_t offset = 0;
  while (offset < reader->info().size) {
    const std::size_t n = reader->read_at(offset, buffer);
    if (n == 0) break;
    auto written = upload.write(std::span<const std::uint8_t>(buffer.data(), n));
    if (!written) return written.error();
    offset += n;
  }
  return true;
}

}  // namespace

Expected<CreatedJob> convert_again(const UploadDeps& deps, const UploadLimits& limits,
                                   std::int64_t user_id, const std::string& job_id) {
  const auto job = deps.jobs.find_job(user_id, job_id);
  if (!job) return Error{ErrorCode::not_found, "no such job", {}, {}, false};
  if (!is_finished(job->status)) {
    return Error{ErrorCode::conflict, "the job has not finished yet", {}, {}, false};
  }
  if (job->status == JobStatus::expired && !job->sources_kept) return sources_gone();
  const auto images = deps.jobs.images(job->id);
  // Every file must still be there before anything is written.
  for (const ImageRecord& image : images) {
    if (!deps.objects.stat(object_keys::input(job->id, image.index))) return sources_gone();
  }
  if (job->has_watermark_image && !deps.objects.stat(object_keys::watermark(job->id)))
    return sources_gone();

  JobUpload upload(deps, limits, user_id);
  if (auto set = upload.set_options(to_json(job->options).dump()); !set) return set.error();
  if (auto set = upload.set_name(job->name); !set) return set.error();
  for (const ImageRecord& image : images) {
    if (auto begun = upload.begin_file(image.source_name); !begun) return begun.error();
    auto copied = copy_into(deps.objects, object_keys::input(job->id, image.index), upload);
    if (!copied) return copied.error();
    if (!*copied) return sources_gone();  // removed since the check
    if (auto ended = upload.end_file(); !ended) return ended.error();
  }
  if (job->has_watermark_image) {
    if (auto begun = upload.begin_watermark(); !begun) return begun.error();
    auto copied = copy_into(deps.objects, object_keys::watermark(job->id), upload);
    if (!copied) return copied.error();
    if (!*copied) return sources_gone();
    if (auto ended = upload.end_file(); !ended) return ended.error();
  }
  return upload.finish();
}

}  // namespace imagesprint
