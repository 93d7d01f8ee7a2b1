#pragma once
// JobStore on SQL through SOCI: the same class on SQLite and on MariaDB (the dialect behind
// SqlDatabase spells what differs).
//
// Counting once: record_image() is one write transaction that reads the image's status with
// lock_rows(), updates it, adds to the job's counters and reads them back. On SQLite the write
// lock makes these transactions one at a time; on MariaDB the image row's lock makes a second
// outcome for the same image wait and then read "done", and the job row's lock (taken by the
// UPDATE) orders the counters, so exactly one transaction sees done + failed reach total.
#include "adapters/sql/sql_database.hpp"
#include "ports/job_store.hpp"

namespace imagesprint {

class SqlJobStore final : public JobStore {
 public:
  /// Applies the records migrations. `db` must outlive the store.
  explicit SqlJobStore(SqlDatabase& db);

  std::pair<std::string, bool> create_job(const Job& job,
                                          const std::vector<ImageRecord>& images) override;
  void add_image(const ImageRecord& image) override;
  UploadCompletion complete_upload(const std::string& job_id, const std::string& name,
                                   const std::string& idempotency_key,
                                   const std::string& request_digest) override;
  void begin_upload(const std::string& job_id, std::int64_t user_id, UnixMillis now) override;
  void end_upload(const std::string& job_id) override;
  std::vector<std::string> abandon_uploads(UnixMillis before, int limit) override;
  std::optional<Job> find_job(std::int64_t user_id, const std::string& job_id) override;
  std::optional<Job> find_job(const std::string& job_id) override;
  JobPage list_jobs(std::int64_t user_id, std::optional<JobStatus> status,
                    const std::string& cursor, int limit) override;
  std::vector<ImageRecord> images(const std::string& job_id) override;
  std::optional<ImageRecord> image(const std::string& job_id, int index) override;
  void start_image(const std::string& job_id, int index, int attempts, UnixMillis now) override;
  ImageProgress record_image(const ImageRecord& outcome, UnixMillis now) override;
  void finish_job(const std::string& job_id, JobStatus status, UnixMillis finished_at,
                  std::optional<UnixMillis> expires_at) override;
  std::vector<int> reset_failed_images(const std::string& job_id) override;
  bool cancel_job(const std::string& job_id, UnixMillis now) override;
  void delete_job(const std::string& job_id) override;
  std::vector<Job> jobs_to_expire(UnixMillis now, int limit) override;
  std::vector<Job> jobs_to_warn_of_expiry(UnixMillis now, UnixMillis horizon, int limit) override;
  bool claim_expiry_warning(const std::string& job_id) override;
  std::vector<Job> jobs_with_kept_sources(UnixMillis expired_before, int limit) override;
  void set_sources_kept(const std::string& job_id, bool kept) override;
  std::vector<Job> unfinished_jobs() override;
  void set_status(const std::string& job_id, JobStatus status) override;
  UserUsage usage(std::int64_t user_id) override;
  std::vector<std::pair<JobStatus, std::int64_t>> count_by_status() override;

 private:
  static void forget_upload_unless_uploading(soci::session& s, const Job& job);
  static void insert_image(soci::session& s, const std::string& job_id, const ImageRecord& image);
  std::vector<Job> query_jobs(std::string_view what, const std::string& where_and_order,
                              const std::vector<std::string>& text_args,
                              const std::vector<long long>& number_args);
  SqlDatabase& db_;
};

}  // namespace imagesprint
