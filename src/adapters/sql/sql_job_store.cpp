#include "adapters/sql/sql_job_store.hpp"

#include <soci/boost-optional.h>

#include <algorithm>
#include <cctype>
#include <utility>

#include <nlohmann/json.hpp>

#include "adapters/sql/records_migrations.hpp"
#include "adapters/sql/row_values.hpp"
#include "domain/json_text.hpp"
#include "domain/options_json.hpp"
#include "domain/whole_number.hpp"
#include "ports/page_cursor.hpp"
#include "ports/storage_error.hpp"

namespace imagesprint {
namespace {

using boost::optional;
using soci::into;
using soci::use;

constexpr const char* JOB_COLUMNS =
    "id, user_id, name, status, options, total, done, failed, bytes_in, bytes_out, "
    "has_watermark_image, "
    "COALESCE(idempotency_key, ''), created_at, started_at, finished_at, expires_at, "
    "sources_kept, request_digest";

optional<long long> to(const std::optional<UnixMillis>& v) {
  return v ? optional<long long>(*v) : optional<long long>();
}

Job job_from_row(const soci::row& r) {
  Job j;
  j.id = row_text(r, 0);
  j.user_id = row_int(r, 1);
  j.name = row_text(r, 2);
  j.status = parse_job_status(row_text(r, 3)).value_or(JobStatus::failed);
  auto options = parse_options(std::string_view(row_text(r, 4)));
  if (options) j.options = options.value();
  j.total = static_cast<int>(row_int(r, 5));
  j.done = static_cast<int>(row_int(r, 6));
  j.failed = static_cast<int>(row_int(r, 7));
  j.bytes_in = row_int(r, 8);
  j.bytes_out = row_int(r, 9);
  j.has_watermark_image = row_int(r, 10) != 0;
  j.idempotency_key = row_text(r, 11);
  j.created_at = row_int(r, 12);
  j.started_at = row_optional_int(r, 13);
  j.finished_at = row_optional_int(r, 14);
  j.expires_at = row_optional_int(r, 15);
  j.sources_kept = row_int(r, 16) != 0;
  j.request_digest = row_text(r, 17);
  return j;
}

ImageRecord image_from_row(const soci::row& r) {
  ImageRecord i;
  i.job_id = row_text(r, 0);
  i.index = static_cast<int>(row_int(r, 1));
  i.source_name = row_text(r, 2);
  i.output_name = row_text(r, 3);
  i.status = parse_image_status(row_text(r, 4)).value_or(ImageStatus::failed);
  i.error_code = row_text(r, 5);
  i.error_message = row_text(r, 6);
  i.bytes_in = row_int(r, 7);
  i.bytes_out = row_int(r, 8);
  i.input_width = static_cast<int>(row_int(r, 9));
  i.input_height = static_cast<int>(row_int(r, 10));
  i.width = static_cast<int>(row_int(r, 11));
  i.height = static_cast<int>(row_int(r, 12));
  i.format = row_text(r, 13);
  if (const auto q = row_optional_int(r, 14)) i.quality_used = static_cast<int>(*q);
  i.blurhash = row_text(r, 15);
  i.attempts = static_cast<int>(row_int(r, 16));
  i.finished_at = row_optional_int(r, 17);
  i.input_pages = static_cast<int>(row_int(r, 18));
  if (const auto p = row_optional_int(r, 19)) i.page_used = static_cast<int>(*p);
  return i;
}

constexpr const char* IMAGE_COLUMNS =
    "job_id, idx, source_name, output_name, status, error_code, error_message, bytes_in, "
    "bytes_out, input_width, "
    "input_height, width, height, format, quality_used, blurhash, attempts, finished_at, "
    "input_pages, page_used";

std::string select_images(const std::string& where) {
  return std::string("SELECT ") + IMAGE_COLUMNS + " FROM images WHERE " + where;
}

/// The cursor "<created_at>:<id>" of the last job of the previous page (created_at, id), or none
/// for the first page (an empty cursor); InvalidCursor for anything else.
std::optional<std::pair<long long, std::string>> job_cursor(const std::string& cursor) {
  if (cursor.empty()) return std::nullopt;
  const auto colon = cursor.find(':');
  if (colon != std::string::npos) {
    const auto created_at = whole_number<long long>(std::string_view(cursor).substr(0, colon));
    const std::string id = cursor.substr(colon + 1);
    const bool id_chars = std::all_of(id.begin(), id.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
    });
    if (created_at && *created_at >= 0 && !id.empty() && id.size() <= 64 && id_chars) {
      return std::pair{*created_at, id};
    }
  }
  throw InvalidCursor();
}

}  // namespace

SqlJobStore::SqlJobStore(SqlDatabase& db) : db_(db) {
  db_.migrate("records", records_migrations());
}

std::pair<std::string, bool> SqlJobStore::create_job(const Job& job,
                                                     const std::vector<ImageRecord>& images) {
  const std::string lock(db_.dialect().lock_rows());
  return db_.write("job store: create_job", [&](soci::session& s) -> std::pair<std::string, bool> {
    // The upload's record, locked (MariaDB) so the janitor cannot abandon it while this runs.
    int abandoned = 0;
    s << "SELECT abandoned FROM job_uploads WHERE job_id = :j" + lock, into(abandoned), use(job.id);
    if (s.got_data() && abandoned != 0) {
      throw StorageError("job store: create_job: the upload of job " + job.id +
                         " took too long and was abandoned; its objects are being removed");
    }
    if (!job.idempotency_key.empty()) {
      // Locked (MariaDB): the same key sent twice at once makes one request wait for the other's
      // job, or deadlock and run again, instead of both inserting.
      std::string existing;
      soci::indicator ind = soci::i_null;
      s << "SELECT id FROM jobs WHERE user_id = :u AND idempotency_key = :k" + lock,
          into(existing, ind), use(job.user_id), use(job.idempotency_key);
      if (s.got_data() && ind == soci::i_ok) {
        forget_upload_unless_uploading(s, job);
        return {existing, false};
      }
    }
    forget_upload_unless_uploading(s, job);
    const std::string options = dump_json(to_json(job.options));
    const optional<std::string> key = job.idempotency_key.empty()
                                          ? optional<std::string>()
                                          : optional<std::string>(job.idempotency_key);
    const long long watermark = job.has_watermark_image ? 1 : 0;
    const std::string status(to_string(job.status));
    s << "INSERT INTO jobs (id, user_id, name, status, options, total, bytes_in, "
         "has_watermark_image, idempotency_key, request_digest, "
         "created_at) VALUES (:id, :u, :n, :s, :o, :t, :b, :w, :k, :d, :c)",
        use(job.id), use(job.user_id), use(job.name), use(status), use(options), use(job.total),
        use(job.bytes_in), use(watermark), use(key), use(job.request_digest), use(job.created_at);
    for (const ImageRecord& i : images) insert_image(s, job.id, i);
    return {job.id, true};
  });
}

void SqlJobStore::forget_upload_unless_uploading(soci::session& s, const Job& job) {
  // An upload that goes on (a job created `uploading`, or a retry that reads the rest of its
  // body) keeps its record: if it dies, the janitor finds its objects through it.
  if (job.status != JobStatus::uploading) {
    s << "DELETE FROM job_uploads WHERE job_id = :j", use(job.id);
  }
}

void SqlJobStore::insert_image(soci::session& s, const std::string& job_id, const ImageRecord& i) {
  const std::string image_status(to_string(i.status));
  s << "INSERT INTO images (job_id, idx, source_name, output_name, status, bytes_in, "
       "input_width, input_height) "
       "VALUES (:j, :i, :s, :o, :st, :b, :w, :h)",
      use(job_id), use(i.index), use(i.source_name), use(i.output_name), use(image_status),
      use(i.bytes_in), use(i.input_width), use(i.input_height);
}

void SqlJobStore::add_image(const ImageRecord& image) {
  const std::string lock(db_.dialect().lock_rows());
  db_.write("job store: add_image", [&](soci::session& s) {
    std::string status;
    s << "SELECT status FROM jobs WHERE id = :j" + lock, into(status), use(image.job_id);
    if (!s.got_data() || status != "uploading") {
      throw StorageError("job store: add_image: job " + image.job_id + " is not uploading");
    }
    insert_image(s, image.job_id, image);
    s << "UPDATE jobs SET total = total + 1, bytes_in = bytes_in + :b WHERE id = :j",
        use(image.bytes_in), use(image.job_id);
  });
}

UploadCompletion SqlJobStore::complete_upload(const std::string& job_id, const std::string& name,
                                              const std::string& idempotency_key,
                                              const std::string& request_digest) {
  const std::string lock(db_.dialect().lock_rows());
  return db_.write("job store: complete_upload", [&](soci::session& s) {
    UploadCompletion c;
    int abandoned = 0;
    s << "SELECT abandoned FROM job_uploads WHERE job_id = :j" + lock, into(abandoned), use(job_id);
    if (s.got_data() && abandoned != 0) {
      throw StorageError("job store: complete_upload: the upload of job " + job_id +
                         " took too long and was abandoned; its objects are being removed");
    }
    // Locked: a worker recording an image of this job waits, then sees it no longer uploading.
    ImageProgress& p = c.progress;
    std::string status;
    long long user = 0;
    s << "SELECT status, done, failed, total, user_id FROM jobs WHERE id = :j" + lock, into(status),
        into(p.done), into(p.failed), into(p.total), into(user), use(job_id);
    if (!s.got_data() || status != "uploading") {
      throw StorageError("job store: complete_upload: job " + job_id + " is not uploading");
    }
    if (!idempotency_key.empty()) {
      // Locked (MariaDB), as in create_job: two uploads with one key ending at once follow one
      // another (or deadlock and run again), and the second finds the first's job.
      std::string existing;
      soci::indicator ind = soci::i_null;
      s << "SELECT id FROM jobs WHERE user_id = :u AND idempotency_key = :k" + lock,
          into(existing, ind), use(user), use(idempotency_key);
      if (s.got_data() && ind == soci::i_ok) {
        c.earlier_job_id = existing;
        return c;
      }
    }
    const optional<std::string> key =
        idempotency_key.empty() ? optional<std::string>() : optional<std::string>(idempotency_key);
    s << "UPDATE jobs SET name = :n, idempotency_key = :k, request_digest = :d, status = CASE "
         "WHEN started_at IS NULL THEN 'queued' ELSE 'processing' END WHERE id = :j",
        use(name), use(key), use(request_digest), use(job_id);
    s << "DELETE FROM job_uploads WHERE job_id = :j", use(job_id);
    p.last = p.done + p.failed == p.total;
    c.completed = true;
    return c;
  });
}

void SqlJobStore::begin_upload(const std::string& job_id, std::int64_t user_id, UnixMillis now) {
  db_.write("job store: begin_upload", [&](soci::session& s) {
    const long long user = user_id;
    const long long started = now;
    s << "INSERT INTO job_uploads (job_id, user_id, started_at, abandoned) "
         "VALUES (:j, :u, :t, 0)",
        use(job_id), use(user), use(started);
  });
}

void SqlJobStore::end_upload(const std::string& job_id) {
  db_.write("job store: end_upload", [&](soci::session& s) {
    s << "DELETE FROM job_uploads WHERE job_id = :j", use(job_id);
  });
}

std::vector<std::string> SqlJobStore::abandon_uploads(UnixMillis before, int limit) {
  const std::string lock(db_.dialect().lock_rows());
  return db_.write("job store: abandon_uploads", [&](soci::session& s) {
    const long long cutoff = before;
    std::vector<std::string> ids;
    soci::rowset<std::string> rows =
        (s.prepare << "SELECT job_id FROM job_uploads WHERE started_at < :b "
                      "ORDER BY started_at, job_id LIMIT " +
                          std::to_string(std::max(limit, 1)) + lock,
         use(cutoff));
    for (const std::string& id : rows) ids.push_back(id);
    for (const std::string& id : ids) {
      s << "UPDATE job_uploads SET abandoned = 1 WHERE job_id = :j", use(id);
    }
    return ids;
  });
}

std::vector<Job> SqlJobStore::query_jobs(std::string_view what, const std::string& where_and_order,
                                         const std::vector<std::string>& texts,
                                         const std::vector<long long>& numbers) {
  return db_.read(what, [&](soci::session& sql) {
    soci::statement st(sql);
    const std::string query =
        std::string("SELECT ") + JOB_COLUMNS + " FROM jobs " + where_and_order;
    // Named binds :t0.. for texts and :n0.. for numbers.
    soci::row row;
    st.exchange(into(row));
    for (std::size_t i = 0; i < texts.size(); ++i)
      st.exchange(use(texts[i], "t" + std::to_string(i)));
    for (std::size_t i = 0; i < numbers.size(); ++i)
      st.exchange(use(numbers[i], "n" + std::to_string(i)));
    st.alloc();
    st.prepare(query);
    st.define_and_bind();
    st.execute();
    std::vector<Job> jobs;
    while (st.fetch()) jobs.push_back(job_from_row(row));
    return jobs;
  });
}

std::optional<Job> SqlJobStore::find_job(std::int64_t user_id, const std::string& job_id) {
  auto jobs =
      query_jobs("job store: find_job", "WHERE id = :t0 AND user_id = :n0 AND status <> :t1",
                 {job_id, std::string(to_string(JobStatus::uploading))}, {user_id});
  return jobs.empty() ? std::nullopt : std::optional(std::move(jobs.front()));
}

std::optional<Job> SqlJobStore::find_job(const std::string& job_id) {
  auto jobs = query_jobs("job store: find_job", "WHERE id = :t0", {job_id}, {});
  return jobs.empty() ? std::nullopt : std::optional(std::move(jobs.front()));
}

JobPage SqlJobStore::list_jobs(std::int64_t user_id, std::optional<JobStatus> status,
                               const std::string& cursor, int limit) {
  std::string where = "WHERE user_id = :n0 AND status <> :t0";
  std::vector<std::string> texts{std::string(to_string(JobStatus::uploading))};
  std::vector<long long> numbers{user_id};
  if (status) {
    where += " AND status = :t" + std::to_string(texts.size());
    texts.emplace_back(to_string(*status));
  }
  if (const auto after = job_cursor(cursor)) {
    numbers.push_back(after->first);
    where += " AND (created_at < :n1 OR (created_at = :n1 AND id < :t" +
             std::to_string(texts.size()) + "))";
    texts.push_back(after->second);
  }
  where += " ORDER BY created_at DESC, id DESC" + db_.dialect().limit(limit + 1);
  JobPage page;
  page.jobs = query_jobs("job store: list_jobs", where, texts, numbers);
  if (static_cast<int>(page.jobs.size()) > limit) {
    page.jobs.resize(static_cast<std::size_t>(limit));
    page.next_cursor = std::to_string(page.jobs.back().created_at) + ":" + page.jobs.back().id;
  }
  return page;
}

std::vector<ImageRecord> SqlJobStore::images(const std::string& job_id) {
  return db_.read("job store: images", [&](soci::session& sql) {
    soci::rowset<soci::row> rows =
        (sql.prepare << select_images("job_id = :j ORDER BY idx"), use(job_id));
    std::vector<ImageRecord> out;
    for (const auto& r : rows) out.push_back(image_from_row(r));
    return out;
  });
}

std::optional<ImageRecord> SqlJobStore::image(const std::string& job_id, int index) {
  return db_.read("job store: image", [&](soci::session& sql) -> std::optional<ImageRecord> {
    soci::rowset<soci::row> rows =
        (sql.prepare << select_images("job_id = :j AND idx = :i"), use(job_id), use(index));
    for (const auto& r : rows) return image_from_row(r);
    return std::nullopt;
  });
}

void SqlJobStore::start_image(const std::string& job_id, int index, int attempts, UnixMillis now) {
  db_.write("job store: start_image", [&](soci::session& s) {
    s << "UPDATE images SET status = 'processing', attempts = :a WHERE job_id = :j AND idx = :i "
         "AND status IN ('queued', 'processing')",
        use(attempts), use(job_id), use(index);
    s << "UPDATE jobs SET status = 'processing', started_at = COALESCE(started_at, :now) "
         "WHERE id = :j AND status IN ('queued', 'processing')",
        use(now), use(job_id);
  });
}

ImageProgress SqlJobStore::record_image(const ImageRecord& o, UnixMillis now) {
  const std::string lock(db_.dialect().lock_rows());
  return db_.write("job store: record_image", [&](soci::session& s) {
    ImageProgress p;
    std::string current;
    // Locked (MariaDB): another outcome for this image, on another connection, waits here until
    // this transaction ends, then reads "done" and counts nothing.
    s << "SELECT status FROM images WHERE job_id = :j AND idx = :i" + lock, into(current),
        use(o.job_id), use(o.index);
    const bool already =
        !s.got_data() || current == "done" || current == "failed" || current == "canceled";
    if (!already) {
      const std::string status(to_string(o.status));
      const optional<long long> quality =
          o.quality_used ? optional<long long>(*o.quality_used) : optional<long long>();
      const optional<long long> page_used =
          o.page_used ? optional<long long>(*o.page_used) : optional<long long>();
      s << "UPDATE images SET status = :s, output_name = CASE WHEN :o = '' THEN output_name ELSE "
           ":o END, "
           "error_code = :ec, error_message = :em, bytes_out = :bo, width = :w, height = :h, "
           "format = :f, "
           "quality_used = :q, blurhash = :bh, input_pages = :ip, page_used = :pu, "
           "finished_at = :now WHERE job_id = :j AND idx = :i",
          use(status, "s"), use(o.output_name, "o"), use(o.error_code, "ec"),
          use(o.error_message, "em"), use(o.bytes_out, "bo"), use(o.width, "w"), use(o.height, "h"),
          use(o.format, "f"), use(quality, "q"), use(o.blurhash, "bh"), use(o.input_pages, "ip"),
          use(page_used, "pu"), use(now, "now"), use(o.job_id, "j"), use(o.index, "i");
      const int done = o.status == ImageStatus::done ? 1 : 0;
      const int failed = o.status == ImageStatus::failed ? 1 : 0;
      // The UPDATE adds to the latest committed counters and holds the job's row until COMMIT:
      // the workers' increments of one job follow one another.
      s << "UPDATE jobs SET done = done + :d, failed = failed + :f, bytes_out = bytes_out + :bo, "
           "started_at = COALESCE(started_at, :now) WHERE id = :j",
          use(done, "d"), use(failed, "f"), use(o.bytes_out, "bo"), use(now, "now"),
          use(o.job_id, "j");
      p.counted = true;
    }
    // Locked too: a locking read sees the latest committed counters plus this transaction's own
    // increment, never an older snapshot.
    std::string job_status;
    s << "SELECT done, failed, total, status FROM jobs WHERE id = :j" + lock, into(p.done),
        into(p.failed), into(p.total), into(job_status), use(o.job_id);
    // Only the write that completes the job sees it complete for the first time; while the job
    // is uploading, more images may come (complete_upload reports it then).
    p.last = p.counted && p.done + p.failed == p.total && job_status != "uploading";
    return p;
  });
}

void SqlJobStore::finish_job(const std::string& job_id, JobStatus status, UnixMillis finished_at,
                             std::optional<UnixMillis> expires_at) {
  const std::string s(to_string(status));
  const optional<long long> expires = to(expires_at);
  db_.write("job store: finish_job", [&](soci::session& sql) {
    sql << "UPDATE jobs SET status = :s, finished_at = :f, expires_at = :e WHERE id = :j", use(s),
        use(finished_at), use(expires), use(job_id);
  });
}

std::vector<int> SqlJobStore::reset_failed_images(const std::string& job_id) {
  const std::string lock(db_.dialect().lock_rows());
  return db_.write("job store: reset_failed_images", [&](soci::session& s) {
    std::vector<int> indexes;
    soci::rowset<int> rows =
        (s.prepare
             << "SELECT idx FROM images WHERE job_id = :j AND status = 'failed' ORDER BY idx" +
                    lock,
         use(job_id));
    for (const int i : rows) indexes.push_back(i);
    if (indexes.empty()) return indexes;
    s << "UPDATE images SET status = 'queued', error_code = '', error_message = '', attempts = 0, "
         "finished_at = NULL "
         "WHERE job_id = :j AND status = 'failed'",
        use(job_id);
    const int n = static_cast<int>(indexes.size());
    s << "UPDATE jobs SET failed = failed - :n, status = 'queued', finished_at = NULL, expires_at "
         "= NULL WHERE id = :j",
        use(n), use(job_id);
    return indexes;
  });
}

bool SqlJobStore::cancel_job(const std::string& job_id, UnixMillis now) {
  const std::string lock(db_.dialect().lock_rows());
  return db_.write("job store: cancel_job", [&](soci::session& s) {
    // The images first, then the job: the order record_image() locks them in (MariaDB), so the
    // two never wait for each other in a circle.
    int images = 0;
    s << "SELECT COUNT(*) FROM images WHERE job_id = :j" + lock, into(images), use(job_id);
    std::string status;
    s << "SELECT status FROM jobs WHERE id = :j" + lock, into(status), use(job_id);
    if (!s.got_data() || (status != "queued" && status != "processing" && status != "uploading"))
      return false;
    s << "UPDATE images SET status = 'canceled' WHERE job_id = :j AND status IN ('queued', "
         "'processing')",
        use(job_id);
    s << "UPDATE jobs SET status = 'canceled', finished_at = :now WHERE id = :j", use(now),
        use(job_id);
    return true;
  });
}

void SqlJobStore::delete_job(const std::string& job_id) {
  db_.write("job store: delete_job", [&](soci::session& s) {
    s << "DELETE FROM images WHERE job_id = :j", use(job_id);
    s << "DELETE FROM jobs WHERE id = :j", use(job_id);
  });
}

std::vector<Job> SqlJobStore::jobs_to_expire(UnixMillis now, int limit) {
  return query_jobs("job store: jobs_to_expire",
                    "WHERE expires_at IS NOT NULL AND expires_at <= :n0 AND status IN ('done', "
                    "'partial', 'failed') ORDER BY expires_at" +
                        db_.dialect().limit(limit),
                    {}, {now});
}

std::vector<Job> SqlJobStore::jobs_to_warn_of_expiry(UnixMillis now, UnixMillis horizon,
                                                     int limit) {
  return query_jobs("job store: jobs_to_warn_of_expiry",
                    "WHERE expires_at IS NOT NULL AND expires_at > :n0 AND expires_at <= :n1 AND "
                    "expiry_warned = 0 AND status IN ('done', 'partial', 'failed') "
                    "ORDER BY expires_at" +
                        db_.dialect().limit(limit),
                    {}, {now, horizon});
}

bool SqlJobStore::claim_expiry_warning(const std::string& job_id) {
  return db_.write("job store: claim_expiry_warning", [&](soci::session& sql) {
    soci::statement st = (sql.prepare << "UPDATE jobs SET expiry_warned = 1 WHERE id = :j AND "
                                         "expiry_warned = 0",
                          use(job_id));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

std::vector<Job> SqlJobStore::jobs_with_kept_sources(UnixMillis expired_before, int limit) {
  return query_jobs("job store: jobs_with_kept_sources",
                    "WHERE status = 'expired' AND sources_kept = 1 AND expires_at <= :n0 "
                    "ORDER BY expires_at" +
                        db_.dialect().limit(limit),
                    {}, {expired_before});
}

void SqlJobStore::set_sources_kept(const std::string& job_id, bool kept) {
  const int value = kept ? 1 : 0;
  db_.write("job store: set_sources_kept", [&](soci::session& sql) {
    sql << "UPDATE jobs SET sources_kept = :k WHERE id = :j", use(value), use(job_id);
  });
}

std::vector<Job> SqlJobStore::unfinished_jobs() {
  return query_jobs("job store: unfinished_jobs",
                    "WHERE status IN ('queued', 'processing') ORDER BY created_at", {}, {});
}

void SqlJobStore::set_status(const std::string& job_id, JobStatus status) {
  const std::string s(to_string(status));
  db_.write("job store: set_status", [&](soci::session& sql) {
    sql << "UPDATE jobs SET status = :s WHERE id = :j", use(s), use(job_id);
  });
}

UserUsage SqlJobStore::usage(std::int64_t user_id) {
  return db_.read("job store: usage", [&](soci::session& sql) {
    soci::row row;
    sql << "SELECT SUM(CASE WHEN status IN ('queued', 'processing') THEN 1 ELSE 0 END), "
           "SUM(CASE WHEN status IN ('queued', 'processing') THEN total - done - failed ELSE 0 "
           "END), SUM(CASE WHEN status NOT IN ('expired', 'uploading') THEN bytes_in + bytes_out "
           "ELSE 0 END) "
           "FROM jobs WHERE user_id = :u",
        into(row), use(user_id);
    // SUM over no rows is NULL (read as 0): the user has nothing yet. MariaDB sums as DECIMAL.
    return UserUsage{row_int(row, 0), row_int(row, 1), row_int(row, 2)};
  });
}

std::vector<std::pair<JobStatus, std::int64_t>> SqlJobStore::count_by_status() {
  return db_.read("job store: count_by_status", [&](soci::session& sql) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT status, COUNT(*) FROM jobs GROUP BY status");
    std::vector<std::pair<JobStatus, std::int64_t>> out;
    for (const auto& r : rows) {
      if (auto s = parse_job_status(row_text(r, 0))) out.emplace_back(*s, row_int(r, 1));
    }
    return out;
  });
}

}  // namespace imagesprint
