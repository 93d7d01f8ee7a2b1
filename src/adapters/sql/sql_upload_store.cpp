#include "adapters/sql/sql_upload_store.hpp"

#include "adapters/sql/records_migrations.hpp"
#include "adapters/sql/row_values.hpp"

namespace imagesprint {

using soci::into;
using soci::use;

namespace {

const std::string SELECT_UPLOADS =
    "SELECT id, user_id, upload_length, upload_offset, filename, filetype, metadata, created_at, "
    "expires_at, job_id FROM uploads ";

Upload upload_from(const soci::row& r) {
  Upload u;
  u.id = row_text(r, 0);
  u.user_id = row_int(r, 1);
  u.length = row_int(r, 2);
  u.offset = row_int(r, 3);
  u.filename = row_text(r, 4);
  u.filetype = row_text(r, 5);
  u.metadata = row_text(r, 6);
  u.created_at = row_int(r, 7);
  u.expires_at = row_int(r, 8);
  u.job_id = row_text(r, 9);
  return u;
}

}  // namespace

SqlUploadStore::SqlUploadStore(SqlDatabase& db) : db_(db) {
  db_.migrate("records", records_migrations());
}

void SqlUploadStore::create(const Upload& u) {
  db_.write("upload store: create", [&](soci::session& s) {
    s << "INSERT INTO uploads (id, user_id, upload_length, upload_offset, filename, filetype, "
         "metadata, created_at, expires_at, job_id) VALUES (:i, :u, :l, :o, :f, :t, :m, :c, :e, "
         ":j)",
        use(u.id), use(u.user_id), use(u.length), use(u.offset), use(u.filename), use(u.filetype),
        use(u.metadata), use(u.created_at), use(u.expires_at), use(u.job_id);
  });
}

std::optional<Upload> SqlUploadStore::find(std::int64_t user_id, const std::string& id) {
  return db_.read("upload store: find", [&](soci::session& s) -> std::optional<Upload> {
    soci::rowset<soci::row> rows =
        (s.prepare << SELECT_UPLOADS + "WHERE id = :i AND user_id = :u", use(id), use(user_id));
    for (const auto& r : rows) return upload_from(r);
    return std::nullopt;
  });
}

UploadClaim SqlUploadStore::claim(std::int64_t user_id, const std::string& id, std::int64_t offset,
                                  const std::string& token, UnixMillis now, UnixMillis until) {
  const std::string lock(db_.dialect().lock_rows());
  // One write transaction with the row locked: two claims at once see each other's.
  return db_.write("upload store: claim", [&](soci::session& s) {
    long long current = 0;
    long long claim_until = 0;
    std::string job_id;
    std::string holder;
    s << "SELECT upload_offset, job_id, claim_token, claim_until FROM uploads WHERE id = :i AND "
         "user_id = :u" +
             lock,
        use(id), use(user_id), into(current), into(job_id), into(holder), into(claim_until);
    if (!s.got_data()) return UploadClaim::not_found;
    if (!job_id.empty()) return UploadClaim::taken;
    if (!holder.empty() && claim_until > now) return UploadClaim::busy;
    if (current != offset) return UploadClaim::offset_mismatch;
    s << "UPDATE uploads SET claim_token = :t, claim_until = :c WHERE id = :i", use(token),
        use(until), use(id);
    return UploadClaim::claimed;
  });
}

bool SqlUploadStore::release(const std::string& id, const std::string& token, std::int64_t offset,
                             const std::string& job_id) {
  if (token.empty()) return false;
  return db_.write("upload store: release", [&](soci::session& s) {
    // The claim token always changes (to ''), so a matched row always counts as affected, on
    // MariaDB too (which counts changed rows only).
    soci::statement st =
        (s.prepare << "UPDATE uploads SET upload_offset = :o, job_id = :j, claim_token = '', "
                      "claim_until = 0 WHERE id = :i AND claim_token = :t",
         use(offset), use(job_id), use(id), use(token));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

bool SqlUploadStore::remove(std::int64_t user_id, const std::string& id) {
  return db_.write("upload store: remove", [&](soci::session& s) {
    soci::statement st =
        (s.prepare << "DELETE FROM uploads WHERE id = :i AND user_id = :u", use(id), use(user_id));
    st.execute(true);
    return st.get_affected_rows() > 0;
  });
}

void SqlUploadStore::remove(const std::string& id) {
  db_.write("upload store: remove",
            [&](soci::session& s) { s << "DELETE FROM uploads WHERE id = :i", use(id); });
}

std::vector<Upload> SqlUploadStore::expired(UnixMillis now, int limit) {
  return db_.read("upload store: expired", [&](soci::session& s) {
    soci::rowset<soci::row> rows =
        (s.prepare << SELECT_UPLOADS + "WHERE expires_at <= :n ORDER BY expires_at, id" +
                          db_.dialect().limit(limit),
         use(now));
    std::vector<Upload> out;
    for (const auto& r : rows) out.push_back(upload_from(r));
    return out;
  });
}

UploadUsage SqlUploadStore::usage(std::int64_t user_id, UnixMillis now) {
  return db_.read("upload store: usage", [&](soci::session& s) {
    soci::rowset<soci::row> rows =
        (s.prepare << "SELECT COUNT(*), COALESCE(SUM(upload_length), 0) FROM uploads WHERE "
                      "user_id = :u AND job_id = '' AND expires_at > :n",
         use(user_id), use(now));
    UploadUsage usage;
    for (const auto& r : rows) {
      usage.uploads = row_int(r, 0);
      usage.bytes = row_int(r, 1);
    }
    return usage;
  });
}

}  // namespace imagesprint
