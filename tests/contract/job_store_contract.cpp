// The JobStore contract (ports/job_store.hpp): jobs and images found only by their owner,
// idempotency keys, newest-first pages, progress counted once per image with exactly one "last"
// (from threads sharing a store, and from workers on connections of their own), retry, cancel,
// expiry and delete, the records of uploads in progress, and jobs that convert while their upload
// is still arriving (created `uploading`, completed once).
#include <algorithm>
#include <atomic>
#include <latch>
#include <thread>

#include "ports/storage_error.hpp"
#include "record_stores_contract.hpp"

namespace imagesprint::test {
namespace {

Job make_job(const std::string& id, std::int64_t user, int total, UnixMillis created,
             const std::string& key = "") {
  Job j;
  j.id = id;
  j.user_id = user;
  j.name = "job " + id;
  j.total = total;
  j.bytes_in = 1000 * total;
  j.created_at = created;
  j.idempotency_key = key;
  j.options.width = 640;
  j.options.format = OutputFormat::webp;
  return j;
}

std::vector<ImageRecord> make_images(const std::string& job, int n) {
  std::vector<ImageRecord> out;
  for (int i = 0; i < n; ++i) {
    ImageRecord r;
    r.job_id = job;
    r.index = i;
    r.source_name = "사진-" + std::to_string(i) + ".jpg";
    r.output_name = "사진-" + std::to_string(i) + ".webp";
    r.bytes_in = 1000;
    r.input_width = 4000;
    r.input_height = 3000;
    out.push_back(r);
  }
  return out;
}

ImageRecord outcome(const std::string& job, int index, bool ok) {
  ImageRecord r;
  r.job_id = job;
  r.index = index;
  r.status = ok ? ImageStatus::done : ImageStatus::failed;
  if (ok) {
    r.bytes_out = 100;
    r.width = 640;
    r.height = 480;
    r.format = "webp";
    r.quality_used = 80;
    r.blurhash = "LEHV6nWB2yk8pyo0adR*.7kCMdnj";
  } else {
    r.error_code = "corrupt_image";
    r.error_message = "the image data is damaged or truncated";
  }
  return r;
}

TEST_P(JobStoreContract, CreatesAndFindsOnlyForTheOwner) {
  const auto [id, created] = jobs().create_job(make_job("j1", 1, 2, 100), make_images("j1", 2));
  EXPECT_EQ(id, "j1");
  EXPECT_TRUE(created);
  const auto job = jobs().find_job(1, "j1");
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->status, JobStatus::queued);
  EXPECT_EQ(job->total, 2);
  EXPECT_EQ(job->options.width, 640);
  EXPECT_EQ(job->options.format, OutputFormat::webp);
  EXPECT_FALSE(jobs().find_job(2, "j1").has_value());  // another user's job does not exist
  EXPECT_TRUE(jobs().find_job("j1").has_value());
  const auto images = jobs().images("j1");
  ASSERT_EQ(images.size(), 2u);
  EXPECT_EQ(images[1].source_name, "사진-1.jpg");
  EXPECT_EQ(images[1].status, ImageStatus::queued);
}

TEST_P(JobStoreContract, IdempotencyKeyReturnsTheSameJob) {
  EXPECT_TRUE(jobs().create_job(make_job("j1", 1, 1, 100, "key-1"), make_images("j1", 1)).second);
  const auto again = jobs().create_job(make_job("j2", 1, 1, 200, "key-1"), make_images("j2", 1));
  EXPECT_EQ(again.first, "j1");
  EXPECT_FALSE(again.second);
  EXPECT_FALSE(jobs().find_job("j2").has_value());
  // The same key from another user is another job.
  EXPECT_TRUE(jobs().create_job(make_job("j3", 2, 1, 300, "key-1"), make_images("j3", 1)).second);
}

TEST_P(JobStoreContract, OneIdempotencyKeyTwiceAtOnceMakesOneJob) {
  // Two processes (stores on connections of their own) create a job with the same key at the
  // same time, round after round: one job is made, and both get its id.
  auto first = open_another();
  auto second = open_another();
  for (int round = 0; round < 10; ++round) {
    const std::string key = "key-" + std::to_string(round);
    const std::string a_id = "a" + std::to_string(round);
    const std::string b_id = "b" + std::to_string(round);
    std::pair<std::string, bool> a, b;
    std::string error;
    std::latch start(2);
    std::thread other([&] {
      start.arrive_and_wait();
      try {
        b = second->jobs().create_job(make_job(b_id, 1, 1, 100, key), make_images(b_id, 1));
      } catch (const std::exception& e) {
        error = e.what();
      }
    });
    start.arrive_and_wait();
    ASSERT_NO_THROW(
        a = first->jobs().create_job(make_job(a_id, 1, 1, 100, key), make_images(a_id, 1)));
    other.join();
    ASSERT_EQ(error, "");
    EXPECT_NE(a.second, b.second) << key << ": exactly one created it";
    EXPECT_EQ(a.first, b.first) << key;
    EXPECT_EQ(jobs().images(a.first).size(), 1u);
    EXPECT_FALSE(jobs().find_job(a.second ? b_id : a_id)) << key;
  }
}

TEST_P(JobStoreContract, ListsNewestFirstWithCursorAndFilter) {
  for (int i = 0; i < 5; ++i) {
    const std::string id = "j" + std::to_string(i);
    jobs().create_job(make_job(id, 1, 1, 1000 + i), make_images(id, 1));
  }
  jobs().create_job(make_job("other", 2, 1, 5000), make_images("other", 1));
  const JobPage first = jobs().list_jobs(1, std::nullopt, "", 2);
  ASSERT_EQ(first.jobs.size(), 2u);
  EXPECT_EQ(first.jobs[0].id, "j4");
  EXPECT_EQ(first.jobs[1].id, "j3");
  ASSERT_FALSE(first.next_cursor.empty());
  const JobPage second = jobs().list_jobs(1, std::nullopt, first.next_cursor, 2);
  ASSERT_EQ(second.jobs.size(), 2u);
  EXPECT_EQ(second.jobs[0].id, "j2");
  const JobPage last = jobs().list_jobs(1, std::nullopt, second.next_cursor, 2);
  ASSERT_EQ(last.jobs.size(), 1u);
  EXPECT_TRUE(last.next_cursor.empty());
  jobs().finish_job("j2", JobStatus::done, 2000, 3000);
  const JobPage done = jobs().list_jobs(1, JobStatus::done, "", 10);
  ASSERT_EQ(done.jobs.size(), 1u);
  EXPECT_EQ(done.jobs[0].id, "j2");
}

TEST_P(JobStoreContract, ACursorThatNoPageGaveIsRefused) {
  for (int i = 0; i < 3; ++i) {
    const std::string id = "j" + std::to_string(i);
    jobs().create_job(make_job(id, 1, 1, 1000 + i), make_images(id, 1));
  }
  for (const std::string cursor :
       {"abc", "1002", ":j2", "x:j2", "-1:j2", "+1002:j2", "1002:", "1002:j 2", "1002:j2'--"}) {
    EXPECT_THROW(jobs().list_jobs(1, std::nullopt, cursor, 2), InvalidCursor) << cursor;
  }
  const JobPage first = jobs().list_jobs(1, std::nullopt, "", 2);
  EXPECT_EQ(jobs().list_jobs(1, std::nullopt, first.next_cursor, 2).jobs.size(), 1u);
}

TEST_P(JobStoreContract, ProgressCountsEachImageOnceAndLastOnce) {
  jobs().create_job(make_job("j", 1, 3, 100), make_images("j", 3));
  jobs().start_image("j", 0, 1, 150);
  EXPECT_EQ(jobs().find_job("j")->status, JobStatus::processing);
  auto p = jobs().record_image(outcome("j", 0, true), 200);
  EXPECT_TRUE(p.counted);
  EXPECT_FALSE(p.last);
  // A redelivered task for the same image changes nothing.
  p = jobs().record_image(outcome("j", 0, true), 210);
  EXPECT_FALSE(p.counted);
  EXPECT_EQ(p.done, 1);
  p = jobs().record_image(outcome("j", 1, false), 220);
  EXPECT_TRUE(p.counted);
  EXPECT_FALSE(p.last);
  p = jobs().record_image(outcome("j", 2, true), 230);
  EXPECT_TRUE(p.last);
  EXPECT_EQ(p.done, 2);
  EXPECT_EQ(p.failed, 1);
  EXPECT_FALSE(jobs().record_image(outcome("j", 2, true), 240).last);
  const auto job = jobs().find_job("j");
  EXPECT_EQ(job->bytes_out, 200);
  EXPECT_EQ(job->started_at, 150);
  const auto image = jobs().image("j", 0);
  EXPECT_EQ(image->status, ImageStatus::done);
  EXPECT_EQ(image->quality_used, 80);
  EXPECT_EQ(image->blurhash, "LEHV6nWB2yk8pyo0adR*.7kCMdnj");
  EXPECT_EQ(image->attempts, 1);
  EXPECT_EQ(jobs().image("j", 1)->error_code, "corrupt_image");
}

TEST_P(JobStoreContract, ConcurrentWorkersSeeExactlyOneLast) {
  constexpr int N = 40;
  jobs().create_job(make_job("j", 1, N, 100), make_images("j", N));
  std::atomic<int> lasts{0}, counted{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      // Every worker records every image: three of the four are redeliveries.
      for (int i = 0; i < N; ++i) {
        const auto p = jobs().record_image(outcome("j", (i + w * 7) % N, true), 1000);
        counted += p.counted;
        lasts += p.last;
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(counted.load(), N);
  EXPECT_EQ(lasts.load(), 1);
  EXPECT_EQ(jobs().find_job("j")->done, N);
}

TEST_P(JobStoreContract, WorkersOnTheirOwnConnectionsCountEachImageOnceAndOneSeesLast) {
  // Three workers, each with stores of its own (its own connections, as separate processes),
  // finish every image of one job at the same time: workers 0 and 1 the same image at each step
  // (one of them is a redelivery), worker 2 the images in the opposite order, so that at every
  // step outcomes for two different images of the job are counted at once.
  constexpr int IMAGES = 48;
  constexpr int WORKERS = 3;
  jobs().create_job(make_job("j", 1, IMAGES, 100), make_images("j", IMAGES));
  std::vector<std::unique_ptr<RecordStoresUnderTest>> workers;
  for (int w = 0; w < WORKERS; ++w) workers.push_back(open_another());
  std::vector<std::vector<int>> counted(WORKERS);
  std::vector<int> lasts(WORKERS, 0);
  std::vector<std::string> errors(WORKERS);
  std::latch start(WORKERS);
  std::vector<std::thread> threads;
  for (int w = 0; w < WORKERS; ++w) {
    threads.emplace_back([&, w] {
      JobStore& store = workers[static_cast<std::size_t>(w)]->jobs();
      start.arrive_and_wait();
      try {
        for (int step = 0; step < IMAGES; ++step) {
          const int index = w == 2 ? IMAGES - 1 - step : step;
          const ImageProgress p =
              store.record_image(outcome("j", index, index % 4 != 0), 1000 + step);
          if (p.counted) counted[static_cast<std::size_t>(w)].push_back(index);
          if (p.last) ++lasts[static_cast<std::size_t>(w)];
        }
      } catch (const std::exception& e) {
        errors[static_cast<std::size_t>(w)] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int w = 0; w < WORKERS; ++w) EXPECT_EQ(errors[static_cast<std::size_t>(w)], "") << w;
  std::vector<int> times(IMAGES, 0);
  for (const auto& indexes : counted) {
    for (const int index : indexes) ++times[static_cast<std::size_t>(index)];
  }
  for (int i = 0; i < IMAGES; ++i)
    EXPECT_EQ(times[static_cast<std::size_t>(i)], 1) << "image " << i;
  EXPECT_EQ(lasts[0] + lasts[1] + lasts[2], 1) << "exactly one outcome completed the job";
  const auto job = jobs().find_job("j");
  ASSERT_TRUE(job);
  EXPECT_EQ(job->done, IMAGES - IMAGES / 4);
  EXPECT_EQ(job->failed, IMAGES / 4);
  EXPECT_EQ(job->bytes_out, 100 * (IMAGES - IMAGES / 4));
}

TEST_P(JobStoreContract, RetryResetsOnlyTheFailedImages) {
  jobs().create_job(make_job("j", 1, 3, 100), make_images("j", 3));
  jobs().record_image(outcome("j", 0, true), 200);
  jobs().record_image(outcome("j", 1, false), 200);
  jobs().record_image(outcome("j", 2, false), 200);
  jobs().finish_job("j", JobStatus::partial, 300, 999);
  EXPECT_EQ(jobs().reset_failed_images("j"), (std::vector<int>{1, 2}));
  const auto job = jobs().find_job("j");
  EXPECT_EQ(job->failed, 0);
  EXPECT_EQ(job->done, 1);
  EXPECT_EQ(job->status, JobStatus::queued);
  EXPECT_EQ(jobs().image("j", 1)->status, ImageStatus::queued);
  EXPECT_TRUE(jobs().record_image(outcome("j", 1, true), 400).counted);
  EXPECT_TRUE(jobs().record_image(outcome("j", 2, true), 400).last);
  EXPECT_TRUE(jobs().reset_failed_images("j").empty());
}

TEST_P(JobStoreContract, CancelExpireDelete) {
  jobs().create_job(make_job("a", 1, 2, 100), make_images("a", 2));
  EXPECT_TRUE(jobs().cancel_job("a", 150));
  EXPECT_FALSE(jobs().cancel_job("a", 160));
  EXPECT_EQ(jobs().find_job("a")->status, JobStatus::canceled);
  EXPECT_EQ(jobs().image("a", 0)->status, ImageStatus::canceled);
  EXPECT_FALSE(
      jobs().record_image(outcome("a", 0, true), 170).counted);  // canceled images stay canceled

  jobs().create_job(make_job("b", 1, 1, 100), make_images("b", 1));
  jobs().finish_job("b", JobStatus::done, 200, 1000);
  EXPECT_TRUE(jobs().jobs_to_expire(999, 10).empty());
  const auto due = jobs().jobs_to_expire(1000, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].id, "b");
  jobs().set_status("b", JobStatus::expired);
  EXPECT_TRUE(jobs().jobs_to_expire(5000, 10).empty());

  jobs().delete_job("b");
  EXPECT_FALSE(jobs().find_job("b").has_value());
  EXPECT_TRUE(jobs().images("b").empty());
}

TEST_P(JobStoreContract, ExpiryNoticesAreDueInTheirWindowAndClaimedOnce) {
  jobs().create_job(make_job("soon", 1, 1, 100), make_images("soon", 1));
  jobs().finish_job("soon", JobStatus::done, 200, 1000);
  jobs().create_job(make_job("later", 1, 1, 100), make_images("later", 1));
  jobs().finish_job("later", JobStatus::partial, 200, 5000);
  jobs().create_job(make_job("running", 1, 1, 100), make_images("running", 1));

  EXPECT_TRUE(jobs().jobs_to_warn_of_expiry(300, 999, 10).empty()) << "none expires by 999";
  auto due = jobs().jobs_to_warn_of_expiry(300, 1000, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].id, "soon");
  due = jobs().jobs_to_warn_of_expiry(300, 9000, 10);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].id, "soon");  // soonest first
  EXPECT_EQ(due[1].id, "later");
  EXPECT_TRUE(jobs().jobs_to_warn_of_expiry(1000, 1000, 10).empty()) << "expiring now: too late";

  EXPECT_TRUE(jobs().claim_expiry_warning("soon"));
  EXPECT_FALSE(jobs().claim_expiry_warning("soon"));
  due = jobs().jobs_to_warn_of_expiry(300, 9000, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].id, "later");
  jobs().set_status("later", JobStatus::expired);
  EXPECT_TRUE(jobs().jobs_to_warn_of_expiry(300, 9000, 10).empty()) << "expired: nothing to say";
  EXPECT_FALSE(jobs().claim_expiry_warning("no-such-job"));

  // Two janitors (stores on connections of their own) claiming at once: one wins, every round.
  auto first = open_another();
  auto second = open_another();
  for (int round = 0; round < 10; ++round) {
    const std::string id = "race" + std::to_string(round);
    jobs().create_job(make_job(id, 1, 1, 100), make_images(id, 1));
    jobs().finish_job(id, JobStatus::done, 200, 1000);
    bool a = false;
    bool b = false;
    std::string error;
    std::latch start(2);
    std::thread other([&] {
      start.arrive_and_wait();
      try {
        b = second->jobs().claim_expiry_warning(id);
      } catch (const std::exception& e) {
        error = e.what();
      }
    });
    start.arrive_and_wait();
    ASSERT_NO_THROW(a = first->jobs().claim_expiry_warning(id));
    other.join();
    ASSERT_EQ(error, "");
    EXPECT_NE(a, b) << id << ": exactly one claimed it";
  }
}

TEST_P(JobStoreContract, UsageUnfinishedJobsAndCountsByStatus) {
  const UserUsage nothing = jobs().usage(1);  // sums over no rows
  EXPECT_EQ(nothing.active_jobs, 0);
  EXPECT_EQ(nothing.queued_images, 0);
  EXPECT_EQ(nothing.stored_bytes, 0);
  jobs().create_job(make_job("a", 1, 3, 100), make_images("a", 3));  // 3000 bytes in
  jobs().create_job(make_job("b", 1, 2, 200), make_images("b", 2));  // 2000 bytes in
  jobs().create_job(make_job("c", 2, 1, 300), make_images("c", 1));
  jobs().start_image("a", 0, 1, 150);
  jobs().record_image(outcome("a", 0, true), 160);  // 100 bytes out
  jobs().finish_job("b", JobStatus::done, 250, 9000);
  UserUsage usage = jobs().usage(1);
  EXPECT_EQ(usage.active_jobs, 1);
  EXPECT_EQ(usage.queued_images, 2);
  EXPECT_EQ(usage.stored_bytes, 3000 + 100 + 2000);
  jobs().set_status("b", JobStatus::expired);
  EXPECT_EQ(jobs().usage(1).stored_bytes, 3000 + 100);

  const auto unfinished = jobs().unfinished_jobs();
  ASSERT_EQ(unfinished.size(), 2u);
  EXPECT_EQ(unfinished[0].id, "a");  // oldest first
  EXPECT_EQ(unfinished[0].status, JobStatus::processing);
  EXPECT_EQ(unfinished[1].id, "c");
  auto counts = jobs().count_by_status();
  std::sort(counts.begin(), counts.end());
  EXPECT_EQ(counts,
            (std::vector<std::pair<JobStatus, std::int64_t>>{
                {JobStatus::queued, 1}, {JobStatus::processing, 1}, {JobStatus::expired, 1}}));
}

TEST_P(JobStoreContract, UploadsThatNeverBecameAJobAreAbandonedOnce) {
  jobs().begin_upload("done", 1, 100);
  jobs().begin_upload("failed", 1, 110);
  jobs().begin_upload("dead", 1, 120);
  jobs().begin_upload("slow", 2, 130);
  jobs().begin_upload("young", 2, 500);
  // One became a job, one failed and removed its objects: both are forgotten.
  EXPECT_TRUE(jobs().create_job(make_job("done", 1, 1, 140), make_images("done", 1)).second);
  jobs().end_upload("failed");
  jobs().end_upload("never-recorded");  // nothing to forget: no error

  EXPECT_TRUE(jobs().abandon_uploads(120, 10).empty());  // begun strictly before
  EXPECT_EQ(jobs().abandon_uploads(400, 1), (std::vector<std::string>{"dead"}));  // oldest first
  // Marked but not ended (a janitor that died halfway): found again, with the next one.
  EXPECT_EQ(jobs().abandon_uploads(400, 10), (std::vector<std::string>{"dead", "slow"}));

  // The slow upload finishes after it was abandoned: no job, its objects are being removed.
  EXPECT_THROW(jobs().create_job(make_job("slow", 2, 1, 450), make_images("slow", 1)),
               StorageError);
  EXPECT_FALSE(jobs().find_job("slow").has_value());
  jobs().end_upload("dead");
  jobs().end_upload("slow");
  EXPECT_TRUE(jobs().abandon_uploads(400, 10).empty());
  EXPECT_EQ(jobs().abandon_uploads(1000, 10), (std::vector<std::string>{"young"}));
  EXPECT_TRUE(jobs().find_job(1, "done").has_value());
}

Job uploading_job(const std::string& id, std::int64_t user, int total, UnixMillis created) {
  Job j = make_job(id, user, total, created);
  j.status = JobStatus::uploading;
  return j;
}

ImageRecord another_image(const std::string& job, int index) {
  ImageRecord r = make_images(job, index + 1).back();
  r.bytes_in = 500;
  return r;
}

TEST_P(JobStoreContract, AnUploadingJobGrowsUnseenByItsOwnerAndCompletesOnce) {
  jobs().begin_upload("u", 1, 100);
  ASSERT_TRUE(jobs().create_job(uploading_job("u", 1, 1, 110), make_images("u", 1)).second);
  // The service sees it; its owner does not, and it counts in none of the owner's quotas.
  ASSERT_TRUE(jobs().find_job("u").has_value());
  EXPECT_EQ(jobs().find_job("u")->status, JobStatus::uploading);
  EXPECT_FALSE(jobs().find_job(1, "u").has_value());
  EXPECT_TRUE(jobs().list_jobs(1, std::nullopt, "", 10).jobs.empty());
  EXPECT_TRUE(jobs().list_jobs(1, JobStatus::uploading, "", 10).jobs.empty());
  EXPECT_EQ(jobs().usage(1).active_jobs, 0);
  EXPECT_EQ(jobs().usage(1).stored_bytes, 0);

  // Its first image converts while the second is arriving: recording it does not end the job.
  jobs().start_image("u", 0, 1, 120);
  EXPECT_EQ(jobs().find_job("u")->status, JobStatus::uploading);
  auto p = jobs().record_image(outcome("u", 0, true), 130);
  EXPECT_TRUE(p.counted);
  EXPECT_FALSE(p.last) << "more images may come while the job is uploading";
  jobs().add_image(another_image("u", 1));
  auto job = jobs().find_job("u");
  EXPECT_EQ(job->total, 2);
  EXPECT_EQ(job->bytes_in, 1000 + 500);
  EXPECT_EQ(jobs().images("u").size(), 2u);
  p = jobs().record_image(outcome("u", 1, false), 140);
  EXPECT_TRUE(p.counted);
  EXPECT_FALSE(p.last);

  // The upload ends with every image recorded: complete_upload reports the job complete.
  const UploadCompletion c = jobs().complete_upload("u", "holiday", "", "");
  ASSERT_TRUE(c.completed);
  const ImageProgress& completed = c.progress;
  EXPECT_TRUE(completed.last);
  EXPECT_EQ(completed.done, 1);
  EXPECT_EQ(completed.failed, 1);
  EXPECT_EQ(completed.total, 2);
  job = jobs().find_job(1, "u");
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->status, JobStatus::processing);
  EXPECT_EQ(job->name, "holiday");
  EXPECT_EQ(jobs().list_jobs(1, std::nullopt, "", 10).jobs.size(), 1u);
  // Its upload record went with it; it is not uploading any more.
  EXPECT_TRUE(jobs().abandon_uploads(1000, 10).empty());
  EXPECT_THROW(jobs().add_image(another_image("u", 2)), StorageError);
  EXPECT_THROW(jobs().complete_upload("u", "again", "", ""), StorageError);
  EXPECT_EQ(jobs().find_job("u")->total, 2);
}

TEST_P(JobStoreContract, AfterTheUploadCompletesTheLastImageEndsTheJob) {
  jobs().begin_upload("u", 1, 100);
  jobs().create_job(uploading_job("u", 1, 2, 110), make_images("u", 2));
  EXPECT_FALSE(jobs().complete_upload("u", "name", "", "").progress.last);
  EXPECT_EQ(jobs().find_job(1, "u")->status, JobStatus::queued);  // nothing started yet
  EXPECT_EQ(jobs().usage(1).active_jobs, 1);
  EXPECT_FALSE(jobs().record_image(outcome("u", 0, true), 200).last);
  EXPECT_TRUE(jobs().record_image(outcome("u", 1, true), 210).last);
}

TEST_P(JobStoreContract, AnUploadingJobClaimsItsIdempotencyKeyWhenItsUploadEnds) {
  // Two tries of one request upload at once (the first one's connection died, say): neither
  // holds the key while uploading, the first to end claims it, and the second learns its job.
  for (const std::string id : {"first", "second"}) {
    jobs().begin_upload(id, 1, 100);
    jobs().create_job(uploading_job(id, 1, 1, 110), make_images(id, 1));
  }
  const UploadCompletion second = jobs().complete_upload("second", "n", "the-key", "digest-2");
  ASSERT_TRUE(second.completed);
  EXPECT_EQ(jobs().find_job(1, "second")->idempotency_key, "the-key");
  // The key is kept with what its request asked for, for a later request to compare with.
  EXPECT_EQ(jobs().find_job(1, "second")->request_digest, "digest-2");
  const UploadCompletion first = jobs().complete_upload("first", "n", "the-key", "digest-1");
  EXPECT_FALSE(first.completed);
  EXPECT_EQ(first.earlier_job_id, "second");
  EXPECT_EQ(jobs().find_job("first")->status, JobStatus::uploading);  // unchanged
  EXPECT_EQ(jobs().find_job(1, "second")->request_digest, "digest-2");
  // The same key from another user is another key.
  jobs().begin_upload("other", 2, 100);
  jobs().create_job(uploading_job("other", 2, 1, 110), make_images("other", 1));
  EXPECT_TRUE(jobs().complete_upload("other", "n", "the-key", "").completed);
  // And a job created in one go with the key answers as before.
  EXPECT_FALSE(
      jobs().create_job(make_job("third", 1, 1, 120, "the-key"), make_images("third", 1)).second);
}

TEST_P(JobStoreContract, AJobCreatedWithAnIdempotencyKeyKeepsItsRequestDigest) {
  Job job = make_job("keyed", 1, 1, 100, "key-1");
  job.request_digest = std::string(64, 'a');  // a SHA-256 in hex, the longest there is
  ASSERT_TRUE(jobs().create_job(job, make_images("keyed", 1)).second);
  EXPECT_EQ(jobs().find_job(1, "keyed")->request_digest, std::string(64, 'a'));
  EXPECT_EQ(jobs().find_job("keyed")->request_digest, std::string(64, 'a'));
  // The second request with the key learns the first one's job, digest and all.
  Job again = make_job("again", 1, 1, 110, "key-1");
  again.request_digest = std::string(64, 'b');
  const auto [id, created] = jobs().create_job(again, make_images("again", 1));
  EXPECT_FALSE(created);
  EXPECT_EQ(jobs().find_job(1, id)->request_digest, std::string(64, 'a'));
  EXPECT_FALSE(jobs().find_job("again").has_value());
}

TEST_P(JobStoreContract, AnUploadingJobCanBeCanceledAndAnAbandonedOneNeverCompletes) {
  jobs().begin_upload("a", 1, 100);
  jobs().create_job(uploading_job("a", 1, 1, 110), make_images("a", 1));
  EXPECT_EQ(jobs().abandon_uploads(500, 10), (std::vector<std::string>{"a"}));
  EXPECT_THROW(jobs().complete_upload("a", "late", "", ""), StorageError);
  EXPECT_FALSE(jobs().find_job(1, "a").has_value());
  EXPECT_TRUE(jobs().cancel_job("a", 600));
  EXPECT_EQ(jobs().image("a", 0)->status, ImageStatus::canceled);
  EXPECT_FALSE(jobs().record_image(outcome("a", 0, true), 610).counted);
  EXPECT_THROW(jobs().add_image(another_image("a", 1)), StorageError);
  jobs().delete_job("a");
  jobs().end_upload("a");
  EXPECT_FALSE(jobs().find_job("a").has_value());
}

TEST_P(JobStoreContract, TheUploadEndingAsItsLastImageIsRecordedCompletesTheJobOnce) {
  // A worker records a job's last image on its own connection while the upload completes on
  // another: whichever commits second sees the job complete, so exactly one of them says so.
  constexpr int JOBS = 30;
  auto worker = open_another();
  auto api = open_another();
  for (int round = 0; round < JOBS; ++round) {
    const std::string id = "r" + std::to_string(round);
    jobs().begin_upload(id, 1, 100);
    jobs().create_job(uploading_job(id, 1, 1, 110), make_images(id, 1));
    std::latch start(2);
    ImageProgress recorded;
    UploadCompletion completed;
    std::string error;
    std::thread converting([&] {
      start.arrive_and_wait();
      recorded = worker->jobs().record_image(outcome(id, 0, true), 200);
    });
    std::thread uploading([&] {
      start.arrive_and_wait();
      try {
        completed = api->jobs().complete_upload(id, "race", "", "");
      } catch (const std::exception& e) {
        error = e.what();
      }
    });
    converting.join();
    uploading.join();
    EXPECT_EQ(error, "") << id;
    EXPECT_TRUE(recorded.counted) << id;
    EXPECT_TRUE(completed.completed) << id;
    EXPECT_EQ(int(recorded.last) + int(completed.progress.last), 1) << id;
  }
}

TEST_P(JobStoreContract, SurvivesReopening) {
  jobs().create_job(make_job("j", 1, 1, 100), make_images("j", 1));
  reopen();
  EXPECT_TRUE(jobs().find_job(1, "j").has_value());
  EXPECT_EQ(jobs().images("j").size(), 1u);
}

}  // namespace
}  // namespace imagesprint::test
