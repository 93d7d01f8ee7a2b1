// A job from upload to ZIP through the real embedded adapters: SQLite records and queue, a local
// object folder, the in-process event bus, the libarchive ZIP writer and the engine.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <clocale>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "../adapters/sqlite_records/temp_database.hpp"
#include "adapters/localfs/local_object_store.hpp"
#include "adapters/memory/in_process_event_bus.hpp"
#include "adapters/sodium/sodium_secrets.hpp"
#include "adapters/sql/sql_job_store.hpp"
#include "adapters/sql/sql_notification_store.hpp"
#include "adapters/sql/sql_upload_store.hpp"
#include "adapters/sqlite/sqlite_task_queue.hpp"
#include "adapters/zip/zip_archive_writer.hpp"
#include "app/expire_results.hpp"
#include "app/job_actions.hpp"
#include "app/job_from_uploads.hpp"
#include "app/job_upload.hpp"
#include "app/job_worker.hpp"
#include "app/notices.hpp"
#include "app/object_keys.hpp"
#include "app/resumable_uploads.hpp"
#include "domain/manifest.hpp"
#include "domain/untrusted_text.hpp"
#include "support/corpus.hpp"

namespace imagesprint {
namespace {

namespace fs = std::filesystem;

/// The store a worker writes through, with a hook that runs before each put(): to make something
/// happen between a conversion and the write of its output.
class HookBeforePut final : public ObjectStore {
 public:
  HookBeforePut(ObjectStore& inner, std::function<void(std::string_view key)> hook)
      : inner_(inner), hook_(std::move(hook)) {}
  ObjectInfo put(std::string_view key, std::span<const std::uint8_t> bytes) override {
    hook_(key);
    return inner_.put(key, bytes);
  }
  std::unique_ptr<ObjectWriter> open_writer(std::string_view key) override {
    return inner_.open_writer(key);
  }
  std::optional<std::vector<std::uint8_t>> get(std::string_view key) override {
    return inner_.get(key);
  }
  std::unique_ptr<ObjectReader> open_reader(std::string_view key) override {
    return inner_.open_reader(key);
  }
  std::optional<ObjectInfo> stat(std::string_view key) override { return inner_.stat(key); }
  bool remove(std::string_view key) override { return inner_.remove(key); }
  std::size_t remove_prefix(std::string_view prefix) override {
    return inner_.remove_prefix(prefix);
  }
  std::vector<ObjectInfo> list(std::string_view prefix) override { return inner_.list(prefix); }
  PresignedUrl presign(PresignMethod method, std::string_view key,
                       std::chrono::seconds ttl) override {
    return inner_.presign(method, key, ttl);
  }

 private:
  ObjectStore& inner_;
  std::function<void(std::string_view key)> hook_;
};

class JobFlow : public testing::Test {
 protected:
  JobFlow()
      : objects_(LocalObjectStoreConfig{temp_.file().parent_path() / "objects",
                                        std::string(32, 'k'), "/v1/objects/",
                                        [this] { return now_; }}),
        queue_(temp_.db(), queue_config()) {
    subscription_ = events_.subscribe(1, [this](const Event& e) { seen_.push_back(e); });
  }

  SqliteTaskQueueConfig queue_config() {
    SqliteTaskQueueConfig config;
    config.max_deliveries = 3;
    config.poll_interval = std::chrono::milliseconds(10);
    config.clock = [this] { return now_; };
    return config;
  }

  UploadDeps upload_deps() {
    return UploadDeps{
        jobs_, objects_, queue_, events_, notifications_, secrets_, [this] { return now_; }};
  }

  JobWorker worker(WorkerObserver observer = {}, ObjectStore* objects = nullptr) {
    WorkerDeps deps{
        jobs_,
        objects ? *objects : objects_,
        queue_,
        events_,
        notifications_,
        [](ArchiveSink sink) { return std::make_unique<ZipArchiveWriter>(std::move(sink)); },
        [this] { return now_; },
        std::move(observer)};
    WorkerSettings settings;
    settings.poll_wait = std::chrono::milliseconds(0);
    settings.result_ttl = std::chrono::seconds(3600);
    return JobWorker(deps, settings);
  }

  void upload_file(JobUpload& upload, const fs::path& file, const std::string& name = "") {
    ASSERT_TRUE(upload.begin_file(name.empty() ? file.filename().string() : name).ok());
    const auto bytes = test::read_bytes(file);
    // In uneven chunks, as a network delivers them.
    for (std::size_t at = 0; at < bytes.size(); at += 7777) {
      auto r = upload.write(
          std::span(bytes).subspan(at, std::min<std::size_t>(7777, bytes.size() - at)));
      ASSERT_TRUE(r.ok()) << r.error().message;
    }
    auto end = upload.end_file();
    ASSERT_TRUE(end.ok()) << end.error().message;
  }

  int drain(JobWorker& w) {
    int n = 0;
    while (w.run_one()) ++n;
    return n;
  }

  std::map<std::string, std::size_t> zip_entries(const std::string& job_id) {
    std::setlocale(LC_CTYPE, "C.UTF-8");
    const auto zip = objects_.get(object_keys::archive(job_id));
    std::map<std::string, std::size_t> out;
    if (!zip) return out;
    archive* a = archive_read_new();
    archive_read_support_format_zip(a);
    archive_read_open_memory(a, zip->data(), zip->size());
    archive_entry* e = nullptr;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK)
      out[archive_entry_pathname_utf8(e)] = archive_entry_size(e);
    archive_read_free(a);
    return out;
  }

  test::TempDatabase temp_;
  UnixMillis now_ = 1'700'000'000'000;
  SqlJobStore jobs_{temp_.db()};
  SqlNotificationStore notifications_{temp_.db()};
  LocalObjectStore objects_;
  SqliteTaskQueue queue_;
  InProcessEventBus events_;
  SodiumSecrets secrets_{PasswordCost{1, 8192}};
  std::unique_ptr<Subscription> subscription_;
  std::vector<Event> seen_;
};

TEST_F(JobFlow, UploadConvertFinalizeWithOneBrokenImage) {
  JobUpload upload(upload_deps(), UploadLimits{}, 1);
  upload_file(upload, test::corpus("photos/flickr-2569067123-2725x2225.jpg"));
  upload_file(upload, test::corpus("orientation/Landscape_6.jpg"), "사진.jpg");
  upload_file(upload, test::corpus("orientation/Portrait_6.jpg"), "사진.jpg");  // same name twice
  upload_file(upload, test::corpus("edge/truncated.jpg"));
  ASSERT_TRUE(
      upload.set_options(R"({"width": 400, "format": "webp", "watermark": {"text": "IS"}})").ok());
  auto created = upload.finish();
  ASSERT_TRUE(created.ok()) << created.error().message;
  const std::string id = created->job.id;
  EXPECT_EQ(created->job.status, JobStatus::queued);
  EXPECT_EQ(created->job.total, 4);

  JobWorker w = worker();
  EXPECT_EQ(drain(w), 5);  // four conversions and the finalize task
  const auto job = jobs_.find_job(1, id);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->status, JobStatus::partial);
  EXPECT_EQ(job->done, 3);
  EXPECT_EQ(job->failed, 1);
  EXPECT_EQ(job->expires_at, now_ + 3'600'000);
  const auto broken = jobs_.image(id, 3);
  EXPECT_EQ(broken->status, ImageStatus::failed);
  EXPECT_EQ(broken->error_code, "corrupt_image");
  EXPECT_NE(broken->error_message.find("truncated"), std::string::npos);
  EXPECT_EQ(jobs_.image(id, 1)->width, 400);  // Landscape_6, turned upright, is wider than tall
  EXPECT_EQ(jobs_.image(id, 1)->height, 300);
  const auto entries = zip_entries(id);
  ASSERT_EQ(entries.size(), 4u) << "manifest + 3 outputs";
  EXPECT_TRUE(entries.contains("manifest.json"));
  EXPECT_TRUE(entries.contains("flickr-2569067123-2725x2225.webp"));
  EXPECT_TRUE(entries.contains("사진.webp"));
  EXPECT_TRUE(entries.contains("사진-1.webp"));

  // Events: 4 progress, the JOB_STARTED and JOB_PARTIAL notifications, job.completed.
  int progress = 0, completed = 0, notices = 0;
  for (const Event& e : seen_) {
    progress += e.type == "progress";
    completed += e.type == "job.completed";
    notices += e.type == "notification";
  }
  EXPECT_EQ(progress, 4);
  EXPECT_EQ(completed, 1);
  EXPECT_EQ(notices, 2);
  const auto page = notifications_.list(1, false, "", 10);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].type, "JOB_PARTIAL");
  EXPECT_EQ(page.items[1].type, "JOB_STARTED");
  // Stored as type + parameters: each reader gets their own language; the English text is kept.
  const auto params = nlohmann::json::parse(page.items[0].params);
  EXPECT_EQ(params["done"], 3);
  EXPECT_EQ(params["failed"], 1);
  EXPECT_EQ(params["total"], 4);
  EXPECT_TRUE(params["name"].is_string());
  EXPECT_EQ(notice_text(page.items[0], Language::en), page.items[0].message);
  EXPECT_NE(notice_text(page.items[0], Language::ko).find("이미지 4장 중 1장 실패"),
            std::string::npos)
      << notice_text(page.items[0], Language::ko);
}

TEST_F(JobFlow, TheRecordsAndTheManifestSayWhichPageWasUsed) {
  JobUpload upload(upload_deps(), UploadLimits{}, 1);
  upload_file(upload, test::corpus("edge/animated-loop-3.gif"), "still.gif");
  upload_file(upload, test::corpus("orientation/Landscape_1.jpg"));
  ASSERT_TRUE(upload.set_options(R"({"format": "jpeg"})").ok());
  auto created = upload.finish();
  ASSERT_TRUE(created.ok()) << created.error().message;
  JobWorker w = worker();
  drain(w);
  // An animation into a format that cannot animate: its first frame, of ten.
  const auto gif = jobs_.image(created->job.id, 0);
  EXPECT_EQ(gif->input_pages, 10);
  EXPECT_EQ(gif->page_used, 0);
  const auto jpeg = jobs_.image(created->job.id, 1);
  EXPECT_EQ(jpeg->input_pages, 1);
  const nlohmann::json entry = image_entry(*gif);
  EXPECT_EQ(entry["input"]["pages"], 10);
  EXPECT_EQ(entry["input"]["page"], 0);
}

TEST_F(JobFlow, APageTheFileLacksIsRefusedAtSubmitAndKeepsNothing) {
  {
    JobUpload upload(upload_deps(), UploadLimits{}, 1);
    upload_file(upload, test::corpus("orientation/Landscape_1.jpg"), "one-page.jpg");
    upload_file(upload, test::corpus("edge/animated-loop-3.gif"), "ten-frames.gif");
    // Refused when the options arrive (the files in hand begin converting then), or at the end.
    std::optional<Error> refused;
    if (auto set = upload.set_options(R"({"format": "png", "page": 1})"); !set) {
      refused = set.error();
    } else if (auto finished = upload.finish(); !finished) {
      refused = finished.error();
    }
    ASSERT_TRUE(refused.has_value());
    EXPECT_EQ(refused->code, ErrorCode::invalid_option);
    EXPECT_EQ(refused->field, "page");
    EXPECT_NE(refused->message.find("one-page.jpg"), std::string::npos) << refused->message;
  }
  EXPECT_TRUE(objects_.list("jobs/").empty());
  EXPECT_EQ(queue_.depth().waiting, 0);

  JobUpload upload(upload_deps(), UploadLimits{}, 1);
  upload_file(upload, test::corpus("edge/animated-loop-3.gif"), "ten-frames.gif");
  ASSERT_TRUE(upload.set_options(R"({"format": "png", "page": 9})").ok());
  auto created = upload.finish();
  ASSERT_TRUE(created.ok()) << created.error().message;
}

TEST_F(JobFlow, WithTheOptionsFirstEachFileConvertsWhileTheNextArrives) {
  JobUpload upload(upload_deps(), UploadLimits{}, 1);
  ASSERT_TRUE(upload.set_options(R"({"width": 320, "format": "webp"})").ok());
  upload_file(upload, test::corpus("orientation/Landscape_1.jpg"));
  ASSERT_TRUE(upload.converting());
  const std::string id = upload.job_id();
  // The first file is queued as soon as it is checked, and converted before the second comes.
  EXPECT_EQ(queue_.depth().waiting, 1);
  JobWorker w = worker();
  EXPECT_EQ(drain(w), 1);
  EXPECT_TRUE(objects_.stat(object_keys::output(id, 0)).has_value());
  EXPECT_EQ(jobs_.find_job(id)->status, JobStatus::uploading);
  EXPECT_FALSE(jobs_.find_job(1, id).has_value()) << "not the owner's before the upload ends";
  upload_file(upload, test::corpus("orientation/Landscape_2.jpg"));
  upload_file(upload, test::corpus("orientation/Landscape_1.jpg"));  // same name: "-1"
  EXPECT_EQ(drain(w), 2);
  // Every image is done, yet the job waits for the end of its upload.
  EXPECT_EQ(jobs_.find_job(id)->done, 3);
  EXPECT_EQ(jobs_.find_job(id)->status, JobStatus::uploading);
  EXPECT_TRUE(zip_entries(id).empty());

  auto created = upload.finish();
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(created->created);
  EXPECT_EQ(created->job.id, id);
  EXPECT_EQ(created->job.total, 3);
  EXPECT_EQ(created->job.name, "Landscape_1.jpg +2");
  // The upload's end found every image converted: it queued the finalize itself.
  EXPECT_EQ(drain(w), 1);
  const auto job = jobs_.find_job(1, id);
  EXPECT_EQ(job->status, JobStatus::done);
  const auto entries = zip_entries(id);
  EXPECT_TRUE(entries.contains("Landscape_1.webp"));
  EXPECT_TRUE(entries.contains("Landscape_1-1.webp"));
  EXPECT_TRUE(entries.contains("Landscape_2.webp"));
  int completed = 0;
  for (const Event& e : seen_) completed += e.type == "job.completed";
  EXPECT_EQ(completed, 1);
}

TEST_F(JobFlow, ASecondOptionsOrNamePartIsRefusedAndTheUploadKeepsNothing) {
  std::string id;
  {
    // The first file is converting with the first options when the second arrive: taking them
    // would make one job of two settings.
    JobUpload upload(upload_deps(), UploadLimits{}, 1);
    id = upload.job_id();
    ASSERT_TRUE(upload.set_options(R"({"width": 320, "format": "webp"})").ok());
    upload_file(upload, test::corpus("orientation/Landscape_1.jpg"));
    ASSERT_TRUE(upload.converting());
    const auto again = upload.set_options(R"({"width": 640, "format": "png"})");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::invalid_request);
    EXPECT_EQ(again.error().field, "options");
  }  // the request ends with its error
  {
    JobUpload upload(upload_deps(), UploadLimits{}, 1);
    ASSERT_TRUE(upload.set_name("holiday").ok());
    const auto again = upload.set_name("work");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().field, "name");
  }
  JobWorker w = worker();
  drain(w);
  EXPECT_TRUE(objects_.list("jobs/").empty());
  EXPECT_FALSE(jobs_.find_job(id).has_value());
  EXPECT_TRUE(jobs_.list_jobs(1, std::nullopt, "", 10).jobs.empty());
}

TEST_F(JobFlow, AConvertingUploadThatFailsTakesItsOutputsAndRecordsAlong) {
  auto upload = std::make_unique<JobUpload>(upload_deps(), UploadLimits{}, 1);
  ASSERT_TRUE(upload->set_options(R"({"format": "png"})").ok());
  upload_file(*upload, test::corpus("orientation/Landscape_1.jpg"));
  upload_file(*upload, test::corpus("orientation/Landscape_2.jpg"));
  const std::string id = upload->job_id();
  // Image 0 converts before the failure. Image 1's conversion is under way when the upload
  // fails, and its output is written after the job's objects were removed.
  HookBeforePut store(objects_, [&](std::string_view key) {
    if (key != object_keys::output(id, 1) || !upload) return;
    ASSERT_TRUE(upload->begin_file("notes.jpg").ok());
    auto refused = upload->write(std::vector<std::uint8_t>(4096, 'x'));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::unsupported_format);
    upload.reset();  // the request ends with its error: the upload is discarded
    EXPECT_TRUE(objects_.list("jobs/").empty());
    EXPECT_FALSE(jobs_.find_job(id).has_value());
  });
  JobWorker w = worker({}, &store);
  ASSERT_TRUE(w.run_one());
  ASSERT_TRUE(objects_.stat(object_keys::output(id, 0)).has_value());
  ASSERT_TRUE(w.run_one());
  ASSERT_FALSE(upload);
  // Seeing its image gone, the worker removed the output it had just written.
  EXPECT_TRUE(objects_.list("jobs/").empty());
  EXPECT_EQ(queue_.depth().waiting, 0);
  EXPECT_EQ(queue_.depth().in_flight, 0);
  EXPECT_TRUE(notifications_.list(1, false, "", 10).items.empty());
}

TEST_F(JobFlow, ARetryOfAConvertingUploadAnswersTheFirstJobAndKeepsNothingOfItsOwn) {
  // The first try is still uploading (its connection died unnoticed, say) when the retry comes:
  // the retry is not refused, both convert, and the first to end keeps the key.
  JobUpload first(upload_deps(), UploadLimits{}, 1, "same-key");
  ASSERT_TRUE(first.set_options(R"({"format": "webp"})").ok());
  upload_file(first, test::corpus("orientation/Landscape_1.jpg"));
  JobUpload retry(upload_deps(), UploadLimits{}, 1, "same-key");
  ASSERT_TRUE(retry.set_options(R"({"format": "webp"})").ok());
  upload_file(retry, test::corpus("orientation/Landscape_1.jpg"));
  EXPECT_TRUE(first.converting());
  EXPECT_TRUE(retry.converting());
  auto created = retry.finish();
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(created->created);
  // The first try ends later: it answers the retry's job and removes its own, outputs included.
  JobWorker w = worker();
  drain(w);
  auto answered = first.finish();
  ASSERT_TRUE(answered.ok()) << answered.error().message;
  EXPECT_FALSE(answered->created);
  EXPECT_EQ(answered->job.id, created->job.id);
  EXPECT_FALSE(jobs_.find_job(first.job_id()).has_value());
  EXPECT_TRUE(objects_.list(object_keys::job_prefix(first.job_id())).empty());
  EXPECT_EQ(jobs_.find_job(1, created->job.id)->status, JobStatus::done);
}

TEST_F(JobFlow, ARetryBeforeTheFinalizeIsAcknowledgedStillEndsTheJob) {
  // The job shows `partial` as soon as the finalize wrote it, before the finalize task is
  // acknowledged. A retry clicked right then, whose image fails again at once, queues its
  // finalize while the first one is still leased: the queue skips it (same dedupe key). The
  // first finalize must notice, once acknowledged, that the job is ready again.
  JobUpload upload(upload_deps(), UploadLimits{}, 1);
  upload_file(upload, test::corpus("orientation/Landscape_1.jpg"));
  upload_file(upload, test::corpus("edge/truncated.jpg"));
  auto created = upload.finish();
  ASSERT_TRUE(created.ok());
  const std::string id = created->job.id;
  bool retried = false;
  WorkerObserver observer;
  observer.job_finished = [&](JobStatus status) {
    if (retried || status != JobStatus::partial) return;
    retried = true;
    ASSERT_TRUE(
        retry_job(JobActionDeps{jobs_, objects_, queue_, [this] { return now_; }}, 1, id).ok());
    JobWorker other = worker();
    ASSERT_TRUE(other.run_one());  // the image fails again; its finalize is skipped
    EXPECT_EQ(queue_.depth().waiting, 0);
  };
  JobWorker w = worker(observer);
  drain(w);
  ASSERT_TRUE(retried);
  const auto job = jobs_.find_job(1, id);
  EXPECT_EQ(job->status, JobStatus::partial);
  EXPECT_EQ(job->done, 1);
  EXPECT_EQ(job->failed, 1);
}

TEST_F(JobFlow, RefusedUploadsKeepNothing) {
  {
    JobUpload upload(upload_deps(), UploadLimits{}, 1);
    upload_file(upload, test::corpus("photos/path-2560x1600.jpg"));
    ASSERT_TRUE(upload.begin_file("check.svg").ok());
    const auto svg = test::read_bytes(test::corpus("edge/check.svg"));
    auto refused = upload.write(svg);
    if (refused.ok()) refused = upload.end_file();
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::unsupported_format);
    EXPECT_NE(refused.error().message.find("check.svg"), std::string::npos);
    EXPECT_EQ(refused.error().field, "files");
  }
  EXPECT_TRUE(objects_.list("jobs/").empty());  // the first, good file is gone too
  {
    UploadLimits small;
    small.max_file_bytes = 100'000;
    JobUpload upload(upload_deps(), small, 1);
    ASSERT_TRUE(upload.begin_file("big.jpg").ok());
    const auto big = test::read_bytes(test::corpus("photos/path-2560x1600.jpg"));
    auto refused = upload.write(big);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::too_large);
  }
  {
    JobUpload upload(upload_deps(), UploadLimits{}, 1);
    upload_file(upload, test::corpus("photos/path-2560x1600.jpg"));
    ASSERT_TRUE(upload.begin_file("giant-image.jpg").ok());
    ASSERT_TRUE(upload.write(test::read_bytes(test::corpus("edge/giant-image.jpg"))).ok());
    auto refused = upload.end_file();
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::too_many_pixels);
  }
  EXPECT_TRUE(objects_.list("jobs/").empty());
  EXPECT_EQ(queue_.depth().waiting, 0);
}

TEST_F(JobFlow, AnImageThatUsedUpItsDeliveriesFailsWithAMessageTheRecordHolds) {
  // The message quotes the last delivery's error, which has no bound (an exception's text);
  // MariaDB refused more than its column holds, so the failure itself could not be recorded.
  JobUpload upload(upload_deps(), UploadLimits{}, 1);
  upload_file(upload, test::corpus("orientation/Landscape_1.jpg"));
  auto created = upload.finish();
  ASSERT_TRUE(created.ok());
  std::string long_error;
  for (int i = 0; i < 500; ++i) long_error += "storage: \xea\xb0\x80 went away; ";
  for (int i = 0; i < 3; ++i) {  // the fixture's max_deliveries
    auto delivery = queue_.lease(std::chrono::milliseconds(60'000), std::chrono::milliseconds(0));
    ASSERT_TRUE(delivery.has_value());
    ASSERT_FALSE(delivery->dead_lettered);
    queue_.nack(*delivery, long_error, std::chrono::milliseconds(0));
  }
  auto w = worker();
  drain(w);
  const auto image = jobs_.image(created->job.id, 0);
  ASSERT_TRUE(image.has_value());
  EXPECT_EQ(image->status, ImageStatus::failed);
  EXPECT_TRUE(image->error_message.starts_with("gave up after 3 attempts: storage: "));
  EXPECT_EQ(cut_code_points(image->error_message, 1000), image->error_message);
  EXPECT_EQ(jobs_.find_job(created->job.id)->status, JobStatus::failed);
}

TEST_F(JobFlow, AJobWhoseArchiveCouldNotBeMadeTellsWhyInWhatANotificationHolds) {
  // The finalize's last error goes into the JOB_FAILED notice (message 1,024 characters, params
  // 4,000 in the records): an exception's text of any length did not fit on MariaDB.
  JobUpload upload(upload_deps(), UploadLimits{}, 1);
  upload_file(upload, test::corpus("orientation/Landscape_1.jpg"));
  auto created = upload.finish();
  ASSERT_TRUE(created.ok());
  auto w = worker();
  ASSERT_TRUE(w.run_one());  // the conversion; it queues the finalize
  std::string long_error;
  for (int i = 0; i < 500; ++i) long_error += "zip: \xea\xb0\x80 could not be written; ";
  for (int i = 0; i < 3; ++i) {  // the fixture's max_deliveries
    auto delivery = queue_.lease(std::chrono::milliseconds(60'000), std::chrono::milliseconds(0));
    ASSERT_TRUE(delivery.has_value());
    ASSERT_EQ(delivery->task.kind, TaskKind::finalize);
    queue_.nack(*delivery, long_error, std::chrono::milliseconds(0));
  }
  drain(w);
  EXPECT_EQ(jobs_.find_job(created->job.id)->status, JobStatus::failed);
  const auto page = notifications_.list(1, false, "", 10);
  ASSERT_FALSE(page.items.empty());
  const Notification& notice = page.items.front();
  EXPECT_EQ(notice.type, "JOB_FAILED");
  EXPECT_NE(notice.message.find("could not be put together (zip: "), std::string::npos);
  EXPECT_EQ(cut_code_points(notice.message, 1024), notice.message);
  EXPECT_EQ(cut_code_points(notice.params, 4000), notice.params);
}

TEST_F(JobFlow, IdempotencyKeyGivesTheSameJob) {
  std::string first;
  for (int attempt = 0; attempt < 2; ++attempt) {
    JobUpload upload(upload_deps(), UploadLimits{}, 1, "retry-me");
    upload_file(upload, test::corpus("orientation/Landscape_1.jpg"));
    auto created = upload.finish();
    ASSERT_TRUE(created.ok());
    if (attempt == 0) {
      EXPECT_TRUE(created->created);
      first = created->job.id;
    } else {
      EXPECT_FALSE(created->created);
      EXPECT_EQ(created->job.id, first);
    }
  }
  EXPECT_EQ(queue_.depth().waiting, 1);  // one task, not two
  EXPECT_EQ(objects_.list("jobs/").size(), 1u);
}

TEST_F(JobFlow, AnIdempotencyKeyIsAtMost200PrintableAsciiCharacters) {
  // A header's bytes go into the job's record as they came: ill-formed UTF-8 there made MariaDB
  // refuse the insert, and the client was told the storage was down (503) for its own mistake.
  for (const std::string& key : {std::string("\xff\xfe-key"), std::string("\xed\x82\xa4-1"),
                                 std::string("tab\there"), std::string(201, 'k')}) {
    JobUpload upload(upload_deps(), UploadLimits{}, 1, key);
    upload_file(upload, test::corpus("orientation/Landscape_1.jpg"));
    auto refused = upload.finish();
    ASSERT_FALSE(refused.ok()) << key;
    EXPECT_EQ(refused.error().code, ErrorCode::invalid_request);
    EXPECT_EQ(refused.error().field, "Idempotency-Key");
    EXPECT_EQ(refused.error().message_key, "error.invalid_request.idempotency_key");
    EXPECT_EQ(refused.error().params["max"], 200);
  }
  EXPECT_TRUE(objects_.list("jobs/").empty());
  EXPECT_EQ(queue_.depth().waiting, 0);
  JobUpload upload(upload_deps(), UploadLimits{}, 1, "order 42: retry #1 " + std::string(181, '~'));
  upload_file(upload, test::corpus("orientation/Landscape_1.jpg"));
  EXPECT_TRUE(upload.finish().ok());
}

TEST_F(JobFlow, AnIdempotencyKeyBelongsToTheRequestItFirstCameWith) {
  auto send = [&](const std::string& options, const fs::path& file, const std::string& name) {
    JobUpload upload(upload_deps(), UploadLimits{}, 1, "key-7");
    EXPECT_TRUE(upload.begin_file(file.filename().string()).ok());
    EXPECT_TRUE(upload.write(test::read_bytes(file)).ok());
    EXPECT_TRUE(upload.end_file().ok());
    if (!name.empty()) {
      EXPECT_TRUE(upload.set_name(name).ok());
    }
    // Options starts the conversion of the files before them; none: the job is made at the end.
    if (!options.empty()) {
      EXPECT_TRUE(upload.set_options(options).ok());
    }
    return upload.finish();
  };
  const fs::path photo = test::corpus("orientation/Landscape_1.jpg");
  auto first = send(R"({"width": 100, "format": "png"})", photo, "");
  ASSERT_TRUE(first.ok()) << first.error().message;
  // The same request written another way (key order, spacing) is the same request.
  auto again = send(R"({ "format":"png","width":100 })", photo, "");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->job.id, first->job.id);
  // Anything else it asks for differently is refused by name, and keeps nothing.
  const std::vector<Expected<CreatedJob>> refused{
      send(R"({"width": 200, "format": "png"})", photo, ""),
      send(R"({"width": 100, "format": "png"})", test::corpus("orientation/Landscape_2.jpg"), ""),
      send(R"({"width": 100, "format": "png"})", photo, "another name"),
      send("", photo, ""),  // the default options
  };
  for (const auto& r : refused) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::idempotency_key_reused);
    EXPECT_EQ(r.error().field, "Idempotency-Key");
  }
  // The refused requests that had started converting leave tasks the workers skip; once they
  // ran, only the first job is there, with its input and its output.
  JobWorker w = worker();
  drain(w);
  EXPECT_EQ(jobs_.list_jobs(1, std::nullopt, "", 10).jobs.size(), 1u);
  EXPECT_EQ(objects_.list("jobs/").size(),
            objects_.list(object_keys::job_prefix(first->job.id)).size());
  EXPECT_EQ(jobs_.find_job(1, first->job.id)->status, JobStatus::done);
}

TEST_F(JobFlow, AKeyReusedByAnUploadThatConvertedAlreadyIsRefusedAndItsOutputsGo) {
  JobUpload first(upload_deps(), UploadLimits{}, 1, "key-8");
  ASSERT_TRUE(first.set_options(R"({"format": "webp"})").ok());
  upload_file(first, test::corpus("orientation/Landscape_1.jpg"));
  ASSERT_TRUE(first.finish().ok());
  // A second request under the same key, options first: its image converts while it uploads,
  // and only its end finds the key taken by a different request.
  JobUpload other(upload_deps(), UploadLimits{}, 1, "key-8");
  ASSERT_TRUE(other.set_options(R"({"format": "png"})").ok());
  upload_file(other, test::corpus("orientation/Landscape_1.jpg"));
  ASSERT_TRUE(other.converting());
  JobWorker w = worker();
  drain(w);
  auto refused = other.finish();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::idempotency_key_reused);
  EXPECT_FALSE(jobs_.find_job(other.job_id()).has_value());
  EXPECT_TRUE(objects_.list(object_keys::job_prefix(other.job_id())).empty());
}

TEST_F(JobFlow, RedeliveredImageIsNotCountedTwice) {
  JobUpload upload(upload_deps(), UploadLimits{}, 1);
  upload_file(upload, test::corpus("orientation/Landscape_1.jpg"));
  upload_file(upload, test::corpus("orientation/Landscape_2.jpg"));
  auto created = upload.finish();
  ASSERT_TRUE(created.ok());
  JobWorker w = worker();
  // The first worker converts image 0, records it, and "dies" before acknowledging: its lease
  // runs out and the task comes back.
  auto first = queue_.lease(std::chrono::seconds(5), std::chrono::milliseconds(0));
  ASSERT_TRUE(first.has_value());
  const auto progress_before = seen_.size();
  Delivery copy = *first;
  w.handle(copy);
  now_ += 60'000;
  drain(w);
  const auto job = jobs_.find_job(created->job.id);
  EXPECT_EQ(job->done, 2);
  EXPECT_EQ(job->status, JobStatus::done);
  int progress = 0;
  for (std::size_t i = progress_before; i < seen_.size(); ++i)
    progress += seen_[i].type == "progress";
  EXPECT_EQ(progress, 2);
}

TEST_F(JobFlow, ALongTimeBudgetExtendsTheLeaseBeforeConverting) {
  JobUpload upload(upload_deps(), UploadLimits{}, 1);
  ASSERT_TRUE(upload.set_options(R"({"timeout_seconds": 200})").ok());
  upload_file(upload, test::corpus("orientation/Landscape_1.jpg"));
  ASSERT_TRUE(upload.finish().ok());
  JobWorker w = worker();  // default lease: 120 s, shorter than 200 s
  auto delivery = queue_.lease(std::chrono::seconds(120), std::chrono::milliseconds(0));
  ASSERT_TRUE(delivery.has_value());
  w.handle(*delivery);
  // Extended to the budget plus the margin before the engine ran, so no one else took it.
  EXPECT_GE(delivery->lease_expires_at, now_ + 200'000 + LEASE_MARGIN.count());
}

TEST_F(JobFlow, ResultsExpire) {
  JobUpload upload(upload_deps(), UploadLimits{}, 1);
  upload_file(upload, test::corpus("orientation/Landscape_1.jpg"));
  auto created = upload.finish();
  ASSERT_TRUE(created.ok());
  JobWorker w = worker();
  drain(w);
  ExpiryDeps deps{jobs_, objects_, notifications_, events_, [this] { return now_; }};
  EXPECT_EQ(expire_results(deps), 0);
  now_ += 3'600'000;
  EXPECT_EQ(expire_results(deps), 1);
  EXPECT_EQ(jobs_.find_job(created->job.id)->status, JobStatus::expired);
  EXPECT_TRUE(objects_.list(object_keys::job_prefix(created->job.id)).empty());
  EXPECT_EQ(notifications_.list(1, false, "", 1).items[0].type, "RESULT_EXPIRED");
}

TEST_F(JobFlow, TheOwnerIsToldOnceBeforeTheResultsExpire) {
  JobUpload upload(upload_deps(), UploadLimits{}, 1);
  upload_file(upload, test::corpus("orientation/Landscape_1.jpg"));
  auto created = upload.finish();
  ASSERT_TRUE(created.ok());
  JobWorker w = worker();
  drain(w);
  const UnixMillis expires = *jobs_.find_job(created->job.id)->expires_at;
  ExpiryDeps off{jobs_, objects_, notifications_, events_, [this] { return now_; }};
  ExpiryDeps deps = off;
  deps.notice_before = std::chrono::seconds(600);

  now_ = expires - 700'000;  // not yet within ten minutes
  EXPECT_EQ(warn_of_expiry(deps), 0);
  now_ = expires - 500'000;
  EXPECT_EQ(warn_of_expiry(off), 0) << "notice_before 0: never";
  EXPECT_EQ(warn_of_expiry(deps), 1);
  EXPECT_EQ(warn_of_expiry(deps), 0) << "once per job";
  now_ += 60'000;
  EXPECT_EQ(warn_of_expiry(deps), 0) << "once per job, later sweeps too";

  const auto page = notifications_.list(1, false, "", 10);
  ASSERT_GE(page.items.size(), 1u);
  const Notification& n = page.items[0];
  EXPECT_EQ(n.type, "RESULT_EXPIRING");
  EXPECT_EQ(n.job_id, created->job.id);
  // 500 s left, said in whole minutes rounded up.
  EXPECT_NE(notice_text(n, Language::en).find("will be deleted in 9 minutes"), std::string::npos)
      << notice_text(n, Language::en);
  EXPECT_NE(notice_text(n, Language::ko).find("9분 후 삭제됩니다"), std::string::npos)
      << notice_text(n, Language::ko);
  int expiring = 0;
  for (const auto& item : page.items) expiring += item.type == "RESULT_EXPIRING";
  EXPECT_EQ(expiring, 1);

  now_ = expires;  // expired: nothing more to warn of
  EXPECT_EQ(expire_results(deps), 1);
  EXPECT_EQ(warn_of_expiry(deps), 0);
}

/// A job awaiting two resumable uploads of one photo on the fixture's stores: `done_` complete,
/// `arriving_` with only its first bytes.
class AwaitedJob : public JobFlow {
 protected:
  /// Makes the two uploads, `sent` bytes of the second one arrived.
  void make_uploads(std::size_t sent) {
    done_ = create_upload();
    ASSERT_NO_FATAL_FAILURE(append(done_, 0, photo_.size()));
    arriving_ = create_upload();
    ASSERT_NO_FATAL_FAILURE(append(arriving_, 0, sent));
    request_.upload_ids = {done_, arriving_};
    request_.await_uploads = true;
  }

  std::string create_upload() {
    auto made =
        uploads_.create(1, static_cast<std::int64_t>(photo_.size()), "photo.jpg", "image/jpeg", "");
    EXPECT_TRUE(made.ok());
    return made ? made->id : "";
  }

  /// Appends the photo's bytes [offset, offset + count) to upload `id`, as one PATCH does.
  void append(const std::string& id, std::size_t offset, std::size_t count) {
    auto append = uploads_.begin_append(1, id, static_cast<std::int64_t>(offset), std::nullopt);
    ASSERT_TRUE(append.ok());
    ASSERT_TRUE((*append)->write(std::span(photo_).subspan(offset, count)).ok());
    ASSERT_TRUE((*append)->end().ok());
  }

  SqlUploadStore store_{temp_.db()};
  ResumableUploads uploads_{
      {store_, jobs_, objects_, secrets_, [this] { return now_; }}, UploadLimits{}, {}};
  const std::vector<std::uint8_t> photo_ =
      test::read_bytes(test::corpus("orientation/Landscape_1.jpg"));
  std::string done_, arriving_;
  JobFromUploadsRequest request_;
};

TEST_F(AwaitedJob, AJobAwaitingItsUploadsGivesUpWhenTheyStopArriving) {
  ASSERT_NO_FATAL_FAILURE(make_uploads(100));
  UploadLimits limits;
  limits.max_await_millis = 10 * 60 * 1000;
  JobFromUploads creation(upload_deps(), limits, store_, 1, request_);

  // The complete one is taken (and queued); the other is waited for.
  auto progress = creation.advance();
  ASSERT_TRUE(progress.ok()) << progress.error().message;
  EXPECT_FALSE(progress->all_taken);
  EXPECT_EQ(queue_.depth().waiting, 1) << "the complete upload's image was not queued";
  // Bytes keep coming: waiting goes on past STALL_MILLIS in all.
  now_ += JobFromUploads::STALL_MILLIS - 1;
  ASSERT_TRUE(creation.advance().ok());
  ASSERT_NO_FATAL_FAILURE(append(arriving_, 100, 100));
  now_ += JobFromUploads::STALL_MILLIS - 1;
  ASSERT_TRUE(creation.advance().ok()) << "a wait with bytes still arriving ended";
  // Then nothing for STALL_MILLIS: the request ends, naming the upload.
  now_ += JobFromUploads::STALL_MILLIS;
  progress = creation.advance();
  ASSERT_FALSE(progress.ok());
  EXPECT_EQ(progress.error().code, ErrorCode::conflict);
  EXPECT_EQ(progress.error().field, "uploads");
  EXPECT_NE(progress.error().message.find("uploads[1]"), std::string::npos)
      << progress.error().message;
}

TEST_F(AwaitedJob, AnAwaitedJobEndsAtTheLongestWaitAndLeavesTheUploadsAsTheyWere) {
  ASSERT_NO_FATAL_FAILURE(make_uploads(10));
  UploadLimits limits;
  limits.max_await_millis = 2 * JobFromUploads::STALL_MILLIS;
  {
    JobFromUploads creation(upload_deps(), limits, store_, 1, request_);
    ASSERT_TRUE(creation.advance().ok());
    // A byte now and then keeps it from stalling, but not past the longest wait.
    for (std::size_t offset = 10; offset < 13; ++offset) {
      now_ += JobFromUploads::STALL_MILLIS / 2;
      ASSERT_NO_FATAL_FAILURE(append(arriving_, offset, 1));
      ASSERT_TRUE(creation.advance().ok());
    }
    now_ += JobFromUploads::STALL_MILLIS / 2;
    auto progress = creation.advance();
    ASSERT_FALSE(progress.ok());
    EXPECT_EQ(progress.error().code, ErrorCode::conflict);
    EXPECT_NE(progress.error().message.find("make the job once they are complete"),
              std::string::npos)
        << progress.error().message;
  }
  // Nothing of the job is left, and the complete upload makes a job the ordinary way.
  EXPECT_TRUE(jobs_.list_jobs(1, std::nullopt, "", 10).jobs.empty());
  request_.upload_ids = {done_};
  request_.await_uploads = false;
  auto created = create_job_from_uploads(upload_deps(), limits, store_, 1, request_);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->job.total, 1);
}

}  // namespace
}  // namespace imagesprint
