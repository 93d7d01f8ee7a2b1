#include "app/job_upload.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "app/notices.hpp"
#include "app/object_keys.hpp"
#include "app/user_events.hpp"
#include "domain/json_text.hpp"
#include "domain/options_json.hpp"
#include "domain/output_names.hpp"
#include "domain/untrusted_text.hpp"
#include "ports/storage_error.hpp"

namespace imagesprint {
namespace {

// Enough of a file to sniff its type and read its header in nearly every case (EXIF and ICC
// segments come before a JPEG's frame header); larger headers are read back from storage.
constexpr std::size_t HEAD_BYTES = 512 * 1024;
constexpr std::size_t SNIFF_BYTES = 64;

std::string job_name(const std::string& given, const std::vector<ImageRecord>& images) {
  if (!given.empty()) return cut_code_points(given, UploadLimits::MAX_NAME_CODE_POINTS);
  if (images.empty()) return "job";
  std::string name = cut_code_points(images.front().source_name, 200);
  if (images.size() > 1) name += " +" + std::to_string(images.size() - 1);
  return name;
}

}  // namespace

struct JobUpload::Part {
  bool watermark = false;
  std::string name;
  std::unique_ptr<ObjectWriter> writer;
  std::vector<std::uint8_t> head;
  std::int64_t size = 0;
  bool sniffed = false;
};

JobUpload::JobUpload(UploadDeps deps, UploadLimits limits, std::int64_t user_id,
                     std::string idempotency_key)
    : deps_(std::move(deps)),
      limits_(limits),
      user_id_(user_id),
      idempotency_key_(std::move(idempotency_key)),
      job_id_(deps_.secrets.random_token(12)) {}

JobUpload::~JobUpload() {
  if (!finished_) discard();
}

void JobUpload::discard() {
  part_.reset();                  // an uncommitted writer discards its bytes
  if (!upload_recorded_) return;  // nothing was written
  try {
    // A converting job is canceled first: workers skip its tasks from then on, and one that
    // writes an output after the objects below are removed sees its image canceled (or gone)
    // and removes that output itself (JobWorker).
    if (converting_) deps_.jobs.cancel_job(job_id_, deps_.now());
    deps_.objects.remove_prefix(object_keys::job_prefix(job_id_));
    if (converting_) deps_.jobs.delete_job(job_id_);
    deps_.jobs.end_upload(job_id_);
  } catch (const std::exception&) {
    // Best effort: the upload stays recorded, and the janitor removes what is left
    // (app/abandoned_uploads).
  }
}

void JobUpload::record_upload() {
  if (upload_recorded_) return;
  // Before the first object: if this process dies from here on, the record leads the janitor
  // to the objects.
  deps_.jobs.begin_upload(job_id_, user_id_, deps_.now());
  upload_recorded_ = true;
}

Error JobUpload::both_options_and_preset() {
  return Error{ErrorCode::invalid_request,
               "preset: give either a preset or options, not both",
               "preset",
               {},
               false};
}

Error JobUpload::given_twice(const std::string& field) {
  return Error{ErrorCode::invalid_request, field + ": given twice", field, {}, false};
}

Error JobUpload::file_error(ErrorCode code, const std::string& message) const {
  const std::string field = part_ && part_->watermark ? "watermark_image" : "files";
  const std::string who = part_ ? "\"" + part_->name + "\"" : "a file";
  return Error{code, who + ": " + message, field, {}, false};
}

Expected<bool> JobUpload::begin_file(const std::string& file_name) {
  if (part_)
    return Error{
        ErrorCode::invalid_request, "files: a part began inside another", "files", {}, false};
  if (static_cast<int>(images_.size()) >= limits_.max_files) {
    return Error{ErrorCode::too_large,
                 "\"" + file_name + "\": too many files; a job takes at most " +
                     std::to_string(limits_.max_files),
                 "files",
                 {},
                 false,
                 0,
                 "error.too_large.files",
                 {{"name", file_name}, {"max", limits_.max_files}}};
  }
  record_upload();
  part_ = std::make_unique<Part>();
  // A file name is the client's text: kept readable (invalid bytes shown as U+FFFD, never a
  // reason to fail) and cut by code points.
  part_->name = file_name.empty() ? "file " + std::to_string(images_.size() + 1)
                                  : cut_code_points(file_name, UploadLimits::MAX_NAME_CODE_POINTS);
  part_->writer =
      deps_.objects.open_writer(object_keys::input(job_id_, static_cast<int>(images_.size())));
  return true;
}

Expected<bool> JobUpload::begin_watermark() {
  if (part_)
    return Error{ErrorCode::invalid_request,
                 "watermark_image: a part began inside another",
                 "watermark_image",
                 {},
                 false};
  if (has_watermark_) return given_twice("watermark_image");
  record_upload();
  part_ = std::make_unique<Part>();
  part_->watermark = true;
  part_->name = "watermark_image";
  part_->writer = deps_.objects.open_writer(object_keys::watermark(job_id_));
  return true;
}

Expected<bool> JobUpload::write(std::span<const std::uint8_t> bytes) {
  if (!part_)
    return Error{ErrorCode::invalid_request, "files: data outside a file part", "files", {}, false};
  part_->size += static_cast<std::int64_t>(bytes.size());
  const std::int64_t limit =
      part_->watermark ? limits_.max_watermark_bytes : limits_.max_file_bytes;
  if (part_->size > limit) {
    Error error = file_error(ErrorCode::too_large,
                             "larger than the limit of " + std::to_string(limit) + " bytes");
    error.message_key = "error.too_large.file";
    error.params = {{"name", part_->name}, {"max", limit}};
    return error;
  }
  if (part_->head.size() < HEAD_BYTES) {
    const std::size_t take = std::min(bytes.size(), HEAD_BYTES - part_->head.size());
    part_->head.insert(part_->head.end(), bytes.begin(),
                       bytes.begin() + static_cast<std::ptrdiff_t>(take));
  }
  // Refuse a wrong type as soon as its magic bytes are in, before storing megabytes of it.
  if (!part_->sniffed && part_->head.size() >= SNIFF_BYTES) {
    part_->sniffed = true;
    auto format = detect_format(part_->head);
    if (!format) return file_error(ErrorCode::unsupported_format, format.error().message);
  }
  part_->writer->write(bytes);
  return true;
}

Expected<bool> JobUpload::end_file() {
  if (!part_)
    return Error{
        ErrorCode::invalid_request, "files: a part ended that never began", "files", {}, false};
  auto format = detect_format(part_->head);
  if (!format) return file_error(ErrorCode::unsupported_format, format.error().message);
  auto info = probe(part_->head, limits_.engine);
  if (!info && info.error().code == ErrorCode::corrupt_image &&
      part_->size > static_cast<std::int64_t>(part_->head.size())) {
    // The header did not fit in what we kept: read it from the stored bytes.
    part_->writer->commit();
    const auto stored = deps_.objects.get(
        part_->watermark ? object_keys::watermark(job_id_)
                         : object_keys::input(job_id_, static_cast<int>(images_.size())));
    if (stored) info = probe(*stored, limits_.engine);
  } else {
    part_->writer->commit();
  }
  if (!info && info.error().code != ErrorCode::corrupt_image) {
    return file_error(info.error().code, info.error().message);
  }
  if (part_->watermark) {
    // A logo must be readable now; an image may still fail later, alone, during conversion.
    if (!info) return file_error(info.error().code, info.error().message);
    has_watermark_ = true;
    watermark_bytes_ = part_->size;
  } else {
    ImageRecord image;
    image.index = static_cast<int>(images_.size());
    image.source_name = part_->name;
    image.bytes_in = part_->size;
    if (info) {
      image.input_width = info->width;
      image.input_height = info->height;
    }
    images_.push_back(std::move(image));
    formats_.push_back(*format);
    infos_.push_back(info ? std::optional<InputInfo>(*info) : std::nullopt);
    bytes_in_ += part_->size;
    part_.reset();
    if (options_) {
      if (auto refusal = image_refusal(images_.size() - 1, *options_)) return *refusal;
    }
    if (converting_) return convert_now(images_.size() - 1);
  }
  part_.reset();
  return start_converting();
}

std::optional<Error> JobUpload::image_refusal(std::size_t index,
                                              const ConversionOptions& options) const {
  if (!infos_[index]) return std::nullopt;  // unreadable header: the image fails alone, later
  // A page the file does not have is the request's mistake: refused now, not per image later.
  auto refusal = page_refusal(infos_[index]->pages, options.page);
  if (!refusal) refusal = output_size_refusal(*infos_[index], options, limits_.engine);
  if (refusal) refusal->message = "\"" + images_[index].source_name + "\": " + refusal->message;
  return refusal;
}

std::optional<Error> JobUpload::quota_check(std::int64_t images, std::int64_t bytes) {
  if (!usage_) usage_ = deps_.jobs.usage(user_id_);
  return quota_refusal(*usage_, limits_.quotas, images, bytes);
}

std::optional<Error> JobUpload::idempotency_key_refusal() const {
  // Printable ASCII only: the key is kept in the job's record as it came, so it must be text
  // every store takes (MariaDB refuses ill-formed UTF-8), and a header's value is ASCII anyway.
  constexpr std::size_t MAX_KEY = 200;
  const bool printable = std::all_of(idempotency_key_.begin(), idempotency_key_.end(),
                                     [](char c) { return c >= 0x20 && c <= 0x7E; });
  if (printable && idempotency_key_.size() <= MAX_KEY) return std::nullopt;
  Error error{ErrorCode::invalid_request,
              "Idempotency-Key: expected at most " + std::to_string(MAX_KEY) +
                  " printable ASCII characters",
              "Idempotency-Key",
              {},
              false};
  error.message_key = "error.invalid_request.idempotency_key";
  error.params = {{"max", MAX_KEY}};
  return error;
}

std::string JobUpload::request_digest() const {
  if (idempotency_key_.empty()) return {};  // no key: nothing will compare with it
  // What a client sends again when it retries: the options in canonical form (so spacing and
  // key order do not count) or the preset it named, the name, the logo's size, and each file's
  // name and size in order. The files' bytes are not hashed: that would cost a pass over up to
  // 1 GB per request for a check whose purpose is to catch a key reused by mistake, and a
  // different file with the same name and the same size is not such a mistake's usual shape.
  nlohmann::json files = nlohmann::json::array();
  for (const ImageRecord& image : images_) files.push_back({image.source_name, image.bytes_in});
  const nlohmann::json request{
      {"options", preset_given_ || !options_ ? nlohmann::json() : to_json(*options_)},
      {"preset", preset_},
      {"name", name_},
      {"watermark_image", has_watermark_ ? nlohmann::json(watermark_bytes_) : nlohmann::json()},
      {"files", std::move(files)}};
  return deps_.secrets.sha256_hex(dump_json(request));
}

void JobUpload::name_outputs(const ConversionOptions& options) {
  // Names depend only on the files before them, so naming again as files arrive keeps the
  // names already given.
  std::vector<NameRequest> names;
  for (std::size_t i = 0; i < images_.size(); ++i) {
    const OutputFormat out =
        options.format == OutputFormat::original ? output_for(formats_[i]) : options.format;
    names.push_back({images_[i].source_name, std::string(extension(out))});
  }
  const std::vector<std::string> output_names = unique_output_names(names);
  for (std::size_t i = 0; i < images_.size(); ++i) {
    images_[i].job_id = job_id_;
    images_[i].output_name = output_names[i];
  }
}

Job JobUpload::job_record(JobStatus status) const {
  Job job;
  job.id = job_id_;
  job.user_id = user_id_;
  job.name = job_name(name_, images_);
  job.status = status;
  job.options = options_.value_or(ConversionOptions{});
  job.total = static_cast<int>(images_.size());
  job.bytes_in = bytes_in_;
  job.has_watermark_image = has_watermark_;
  // A converting job claims its key only as its upload ends (JobStore::complete_upload).
  if (status != JobStatus::uploading) {
    job.idempotency_key = idempotency_key_;
    job.request_digest = request_digest();
  }
  job.created_at = deps_.now();
  return job;
}

Expected<bool> JobUpload::start_converting() {
  if (converting_ || !options_ || images_.empty()) return true;
  if (options_->watermark.kind == WatermarkKind::image && !has_watermark_) return true;
  if (auto refusal = idempotency_key_refusal()) return *refusal;
  for (std::size_t i = 0; i < images_.size(); ++i) {
    if (auto refusal = image_refusal(i, *options_)) return *refusal;
  }
  if (auto refusal = quota_check(static_cast<std::int64_t>(images_.size()), bytes_in_)) {
    return *refusal;
  }
  name_outputs(*options_);
  const Job job = job_record(JobStatus::uploading);
  deps_.jobs.create_job(job, images_);
  converting_ = true;
  std::vector<Task> tasks;
  for (const ImageRecord& image : images_) tasks.push_back(Task::convert_image(job, image.index));
  deps_.queue.enqueue_batch(tasks);
  return true;
}

Expected<bool> JobUpload::convert_now(std::size_t index) {
  if (auto refusal = quota_check(static_cast<std::int64_t>(images_.size()), bytes_in_)) {
    return *refusal;
  }
  name_outputs(*options_);
  deps_.jobs.add_image(images_[index]);
  deps_.queue.enqueue(Task::convert_image(job_record(JobStatus::uploading), images_[index].index));
  return true;
}

Expected<bool> JobUpload::set_options(const std::string& json_text) {
  if (preset_given_) return both_options_and_preset();
  if (options_given_) return given_twice("options");
  options_given_ = true;
  auto parsed = parse_options(std::string_view(json_text));
  if (!parsed) return parsed.error();
  options_ = parsed.value();
  return start_converting();
}

Expected<bool> JobUpload::set_preset(const std::string& reference) {
  if (options_given_) return both_options_and_preset();
  if (preset_given_) return given_twice("preset");
  preset_given_ = true;
  preset_ = reference;
  if (!deps_.presets) {
    return Error{
        ErrorCode::invalid_request, "preset: presets are not set up here", "preset", {}, false};
  }
  auto preset = deps_.presets->resolve(user_id_, reference);
  if (!preset) return preset.error();
  // Saved through the same parser; a preset that no longer parses (an option removed since)
  // is the preset's fault, named so.
  auto parsed = parse_options(std::string_view(preset->options));
  if (!parsed) {
    return Error{ErrorCode::invalid_option,
                 "preset: its options are no longer valid (" + parsed.error().message + ")",
                 "preset",
                 {},
                 false};
  }
  options_ = parsed.value();
  return start_converting();
}

Expected<bool> JobUpload::set_name(const std::string& name) {
  if (name_given_) return given_twice("name");
  name_given_ = true;
  if (!is_valid_utf8(name)) {
    return Error{ErrorCode::invalid_request, "name: expected UTF-8 text", "name", {}, false};
  }
  name_ = cut_code_points(name, UploadLimits::MAX_NAME_CODE_POINTS);
  return true;
}

Expected<CreatedJob> JobUpload::finish() {
  if (part_)
    return Error{
        ErrorCode::invalid_request, "files: the last file did not end", "files", {}, false};
  if (images_.empty())
    return Error{
        ErrorCode::invalid_request, "files: expected at least one file", "files", {}, false};
  const ConversionOptions options = options_.value_or(ConversionOptions{});
  if (options.watermark.kind == WatermarkKind::image && !has_watermark_) {
    return Error{ErrorCode::invalid_request,
                 "watermark_image: an image watermark needs the watermark_image part",
                 "watermark_image",
                 {},
                 false};
  }
  if (auto refusal = idempotency_key_refusal()) return *refusal;
  // Output size from each header and the options (the options may have come after the files).
  for (std::size_t i = 0; i < images_.size(); ++i) {
    if (auto refusal = image_refusal(i, options)) return *refusal;
  }
  // Against what the user holds now (a converting job is not counted in it).
  usage_.reset();
  if (auto refusal = quota_check(static_cast<std::int64_t>(images_.size()), bytes_in_)) {
    return *refusal;
  }
  name_outputs(options);
  if (converting_) return complete_converting();

  const Job job = job_record(JobStatus::queued);
  const auto [id, created] = deps_.jobs.create_job(job, images_);
  if (!created) return answer_earlier(id);
  finished_ = true;
  // If the process dies between the records and the queue, the start-up recovery re-enqueues
  // the unfinished images (the dedupe keys make that safe to repeat).
  std::vector<Task> tasks;
  for (const ImageRecord& image : images_) {
    tasks.push_back(Task::convert_image(job, image.index));
  }
  deps_.queue.enqueue_batch(tasks);
  announce_start(job);
  return CreatedJob{job, true};
}

Expected<CreatedJob> JobUpload::complete_converting() {
  const UploadCompletion completion = deps_.jobs.complete_upload(
      job_id_, job_name(name_, images_), idempotency_key_, request_digest());
  // A retried request whose first try became a job meanwhile: that job is the answer, and this
  // one is removed with what it converted.
  if (!completion.completed) return answer_earlier(completion.earlier_job_id);
  finished_ = true;
  // Every image converted before the upload ended: the finalize is this request's to queue.
  if (completion.progress.last) {
    deps_.queue.enqueue(Task::finalize_job(job_record(JobStatus::processing)));
  }
  const auto job = deps_.jobs.find_job(user_id_, job_id_);
  if (!job) throw StorageError("job upload: job " + job_id_ + " vanished as its upload ended");
  announce_start(*job);
  return CreatedJob{*job, true};
}

Expected<CreatedJob> JobUpload::answer_earlier(const std::string& earlier_job_id) {
  // A retried request: answer with the first one's job and keep nothing of this one.
  discard();
  finished_ = true;
  auto existing = deps_.jobs.find_job(user_id_, earlier_job_id);
  if (!existing)
    return Error{ErrorCode::conflict,
                 "Idempotency-Key: used for a job that no longer exists",
                 "Idempotency-Key",
                 {},
                 false};
  // A key belongs to the request it first came with (as Stripe's do, and the IETF draft on the
  // header says): the same key with other files or options is a client's mistake, and answering
  // the first job would hide it. Jobs from before digests were kept have none and answer.
  if (!existing->request_digest.empty() && existing->request_digest != request_digest()) {
    return Error{ErrorCode::idempotency_key_reused,
                 "Idempotency-Key: already used for a different request (other files, options, "
                 "preset, name or watermark); send a new key",
                 "Idempotency-Key",
                 {},
                 false};
  }
  return CreatedJob{*existing, false};
}

void JobUpload::announce_start(const Job& job) {
  const Notification started =
      add_notice(deps_.notifications, user_id_, "JOB_STARTED", job_id_,
                 {{"name", job.name}, {"total", job.total}}, job.created_at);
  publish(deps_.events, NotificationEvent{started});
}

}  // namespace imagesprint
