#include "adapters/sqlite/sqlite_task_queue.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>

#include "domain/whole_number.hpp"

namespace imagesprint {
namespace {

using soci::into;
using soci::use;

/// SOCI and SQLite errors become the port's StorageError, so no use case sees SOCI.
template <typename Fn>
auto guarded(const char* what, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const soci::soci_error& e) {
    throw StorageError(std::string("task queue: ") + what + ": " + e.what());
  }
}

/// 128 random bits as hex. Tokens only need to differ between leases of one task, but they must
/// also differ between processes forked from one another, so no seeded generator is kept.
std::string new_lease_token() {
  std::random_device random;
  char text[33];
  std::snprintf(text, sizeof text, "%08x%08x%08x%08x", random(), random(), random(), random());
  return text;
}

std::optional<std::int64_t> parse_id(const std::string& id) {
  return whole_number<std::int64_t>(id, 1, INT64_MAX);
}

/// A row of `tasks` or `dead_letters` as read for a lease.
struct TaskRow {
  std::int64_t id = 0;
  std::string kind;
  std::string job_id;
  int image_index = Task::NO_IMAGE;
  std::string payload;
  std::string dedupe_key;
  soci::indicator dedupe_key_ind = soci::i_null;
  int delivery_count = 0;
  std::string lease_token;
  soci::indicator lease_token_ind = soci::i_null;
  std::string last_error;
  std::string group;
};

Delivery to_delivery(const TaskRow& row, TaskKind kind, std::string token, UnixMillis until) {
  Delivery d;
  d.id = std::to_string(row.id);
  d.lease_token = std::move(token);
  d.task.kind = kind;
  d.task.job_id = row.job_id;
  d.task.image_index = row.image_index;
  d.task.payload = row.payload;
  d.task.dedupe_key = row.dedupe_key_ind == soci::i_ok ? row.dedupe_key : "";
  d.task.group = row.group;
  d.delivery_count = row.delivery_count;
  d.lease_expires_at = until;
  d.last_error = row.last_error;
  return d;
}

}  // namespace

FieldErrors SqliteTaskQueueConfig::validate() const {
  FieldErrors errors;
  if (max_deliveries < 1) {
    errors.push_back(
        {"max_deliveries", "expected at least 1, got " + std::to_string(max_deliveries)});
  }
  if (poll_interval <= std::chrono::milliseconds::zero()) {
    errors.push_back({"poll_interval", "expected more than 0 ms, got " +
                                           std::to_string(poll_interval.count()) + " ms"});
  }
  if (max_in_flight_per_group < 0) {
    errors.push_back({"max_in_flight_per_group",
                      "expected 0 or more, got " + std::to_string(max_in_flight_per_group)});
  }
  return errors;
}

const std::vector<std::string>& SqliteTaskQueue::migrations() {
  static const std::vector<std::string> MIGRATIONS{
      // 1: the queue and its dead letters. `available_at` is when a task may next be leased:
      // its enqueue time, a nack's time plus delay, or the end of its current lease. A task
      // whose lease_token is set while available_at has passed was abandoned by its worker.
      R"(CREATE TABLE tasks (
           id INTEGER PRIMARY KEY AUTOINCREMENT,
           kind VARCHAR(16) NOT NULL,
           job_id VARCHAR(64) NOT NULL,
           image_index INTEGER NOT NULL,
           payload TEXT NOT NULL,
           dedupe_key VARCHAR(255),
           enqueued_at BIGINT NOT NULL,
           available_at BIGINT NOT NULL,
           delivery_count INTEGER NOT NULL DEFAULT 0,
           lease_token VARCHAR(64),
           last_error TEXT NOT NULL DEFAULT '');
         CREATE INDEX tasks_available ON tasks(available_at, id);
         CREATE UNIQUE INDEX tasks_dedupe ON tasks(dedupe_key);
         CREATE TABLE dead_letters (
           id INTEGER PRIMARY KEY,
           kind VARCHAR(16) NOT NULL,
           job_id VARCHAR(64) NOT NULL,
           image_index INTEGER NOT NULL,
           payload TEXT NOT NULL,
           dedupe_key VARCHAR(255),
           enqueued_at BIGINT NOT NULL,
           delivery_count INTEGER NOT NULL,
           last_error TEXT NOT NULL,
           dead_at BIGINT NOT NULL,
           handled INTEGER NOT NULL DEFAULT 0,
           handled_at BIGINT,
           available_at BIGINT NOT NULL,
           lease_token VARCHAR(64));
         CREATE INDEX dead_letters_pending ON dead_letters(handled, available_at, id);
         CREATE INDEX dead_letters_job ON dead_letters(job_id))",
      // 2: fairness groups (Task::group). `task_groups.served` orders the groups by their last
      // lease (a counter, not a time, so two leases in one millisecond still order): the group
      // served longest ago goes next, which serves the groups with work round-robin.
      R"(ALTER TABLE tasks ADD COLUMN group_key VARCHAR(255) NOT NULL DEFAULT '';
         ALTER TABLE dead_letters ADD COLUMN group_key VARCHAR(255) NOT NULL DEFAULT '';
         CREATE INDEX tasks_group ON tasks(group_key, available_at);
         CREATE TABLE task_groups (
           group_key VARCHAR(255) PRIMARY KEY,
           served BIGINT NOT NULL))",
  };
  return MIGRATIONS;
}

SqliteTaskQueue::SqliteTaskQueue(DatabasePool& db, SqliteTaskQueueConfig config)
    : db_(db), config_(std::move(config)) {
  refuse(config_.validate());
  guarded("migrate", [&] { db_.migrate("task_queue", migrations()); });
}

UnixMillis SqliteTaskQueue::now() const {
  if (config_.clock) return config_.clock();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SqliteTaskQueue::wake() {
  {
    const std::lock_guard lock(wait_mutex_);
    ++wake_generation_;
  }
  wait_cv_.notify_all();
}

int SqliteTaskQueue::enqueue_batch(const std::vector<Task>& tasks) {
  if (tasks.empty()) return 0;
  const int added = guarded("enqueue", [&] {
    soci::session sql(db_.pool());
    const UnixMillis t = now();
    return write_transaction(sql, [&](soci::session& s) {
      int count = 0;
      for (const Task& task : tasks) {
        soci::indicator key_ind = task.dedupe_key.empty() ? soci::i_null : soci::i_ok;
        if (key_ind == soci::i_ok) {
          int taken = 0;
          s << "SELECT COUNT(*) FROM tasks WHERE dedupe_key = :k", into(taken),
              use(task.dedupe_key);
          if (taken > 0) continue;
        }
        const std::string kind(to_string(task.kind));
        s << "INSERT INTO tasks (kind, job_id, image_index, payload, dedupe_key, enqueued_at, "
             "available_at, group_key) VALUES (:kind, :job, :idx, :payload, :key, :t, :a, :g)",
            use(kind), use(task.job_id), use(task.image_index), use(task.payload),
            use(task.dedupe_key, key_ind), use(t), use(t), use(task.group);
        ++count;
      }
      return count;
    });
  });
  if (added > 0) wake();
  return added;
}

std::optional<Delivery> SqliteTaskQueue::lease(Millis lease, Millis wait) {
  if (lease <= Millis::zero()) throw std::invalid_argument("lease must be positive");
  if (wait < Millis::zero()) throw std::invalid_argument("wait must not be negative");
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    std::uint64_t seen = 0;
    {
      const std::lock_guard lock(wait_mutex_);
      seen = wake_generation_;  // read before looking, so a wake-up in between is not missed
    }
    if (auto delivery = try_lease(lease)) return delivery;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return std::nullopt;
    std::unique_lock lock(wait_mutex_);
    wait_cv_.wait_until(lock, std::min(deadline, now + config_.poll_interval),
                        [&] { return wake_generation_ != seen; });
  }
}

std::optional<Delivery> SqliteTaskQueue::try_lease(Millis lease) {
  return guarded("lease", [&] {
    soci::session sql(db_.pool());
    const UnixMillis t = now();
    const UnixMillis until = t + lease.count();
    return write_transaction(sql, [&](soci::session& s) -> std::optional<Delivery> {
      // Each round either returns, or moves one task aside and looks again; a bounded number of
      // rounds keeps one call short even if many tasks are dead-lettered at once.
      for (int round = 0; round < 8; ++round) {
        TaskRow row;
        // First, a dead letter whose failure nobody has recorded yet: it completes a job.
        s << "SELECT id, kind, job_id, image_index, payload, dedupe_key, delivery_count, "
             "last_error, group_key FROM dead_letters WHERE handled = 0 AND available_at <= :now "
             "ORDER BY available_at, id LIMIT 1",
            into(row.id), into(row.kind), into(row.job_id), into(row.image_index),
            into(row.payload), into(row.dedupe_key, row.dedupe_key_ind), into(row.delivery_count),
            into(row.last_error), into(row.group), use(t);
        if (s.got_data()) {
          const auto kind = parse_task_kind(row.kind);
          if (!kind) {  // written by a newer version: nobody here can record it
            s << "UPDATE dead_letters SET handled = 1, handled_at = :t WHERE id = :id", use(t),
                use(row.id);
            continue;
          }
          std::string token = new_lease_token();
          s << "UPDATE dead_letters SET lease_token = :token, available_at = :until WHERE id = :id",
              use(token), use(until), use(row.id);
          Delivery d = to_delivery(row, *kind, std::move(token), until);
          d.dead_lettered = true;
          return d;
        }

        // Round-robin across groups: of the groups with an available task (and, with a cap,
        // fewer than max_in_flight_per_group leases running), the one served longest ago; within
        // it, the task available the longest. A leased task's available_at is its lease's end,
        // so "x.available_at > now" with a token set counts the running leases.
        const int cap = config_.max_in_flight_per_group;
        s << "SELECT t.id, t.kind, t.job_id, t.image_index, t.payload, t.dedupe_key, "
             "t.delivery_count, t.lease_token, t.last_error, t.group_key FROM tasks t "
             "LEFT JOIN task_groups g ON g.group_key = t.group_key WHERE t.available_at <= :now "
             "AND (:cap = 0 OR (SELECT COUNT(*) FROM tasks x WHERE x.group_key = t.group_key "
             "AND x.available_at > :now2 AND x.lease_token IS NOT NULL) < :cap2) "
             "ORDER BY COALESCE(g.served, 0), t.available_at, t.id LIMIT 1",
            into(row.id), into(row.kind), into(row.job_id), into(row.image_index),
            into(row.payload), into(row.dedupe_key, row.dedupe_key_ind), into(row.delivery_count),
            into(row.lease_token, row.lease_token_ind), into(row.last_error), into(row.group),
            use(t), use(cap), use(t), use(cap);
        if (!s.got_data()) return std::nullopt;
        // A lease_token still set means the last lease ran out: neither acked nor nacked.
        if (row.lease_token_ind == soci::i_ok) row.last_error = LEASE_EXPIRED_ERROR;
        const auto kind = parse_task_kind(row.kind);
        if (!kind || row.delivery_count >= config_.max_deliveries) {
          const std::string error = kind ? row.last_error : "unknown task kind '" + row.kind + "'";
          const int handled = kind ? 0 : 1;
          s << "INSERT INTO dead_letters (id, kind, job_id, image_index, payload, dedupe_key, "
               "enqueued_at, delivery_count, last_error, dead_at, handled, available_at, "
               "group_key) SELECT id, kind, job_id, image_index, payload, dedupe_key, "
               "enqueued_at, delivery_count, :error, :t1, :handled, :t2, group_key FROM tasks "
               "WHERE id = :id",
              use(error), use(t), use(handled), use(t), use(row.id);
          s << "DELETE FROM tasks WHERE id = :id", use(row.id);
          continue;  // the next round hands the new dead letter out
        }
        std::string token = new_lease_token();
        row.delivery_count += 1;
        s << "UPDATE tasks SET delivery_count = :count, lease_token = :token, "
             "available_at = :until, last_error = :error WHERE id = :id",
            use(row.delivery_count), use(token), use(until), use(row.last_error), use(row.id);
        s << "INSERT INTO task_groups (group_key, served) VALUES (:g, (SELECT "
             "COALESCE(MAX(served), "
             "0) + 1 FROM task_groups)) ON CONFLICT (group_key) DO UPDATE SET served = "
             "excluded.served",
            use(row.group);
        return to_delivery(row, *kind, std::move(token), until);
      }
      return std::nullopt;
    });
  });
}

bool SqliteTaskQueue::ack(const Delivery& delivery) {
  const auto id = parse_id(delivery.id);
  if (!id) return false;
  return guarded("ack", [&] {
    soci::session sql(db_.pool());
    const UnixMillis t = now();
    soci::statement st =
        delivery.dead_lettered
            ? (sql.prepare << "UPDATE dead_letters SET handled = 1, handled_at = :t, "
                              "lease_token = NULL WHERE id = :id AND lease_token = :token "
                              "AND handled = 0",
               use(t), use(*id), use(delivery.lease_token))
            : (sql.prepare << "DELETE FROM tasks WHERE id = :id AND lease_token = :token", use(*id),
               use(delivery.lease_token));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

bool SqliteTaskQueue::nack(const Delivery& delivery, std::string_view error, Millis delay) {
  if (delay < Millis::zero()) throw std::invalid_argument("nack delay must not be negative");
  const auto id = parse_id(delivery.id);
  if (!id) return false;
  const bool changed = guarded("nack", [&] {
    soci::session sql(db_.pool());
    const UnixMillis t = now();
    const UnixMillis later = t + delay.count();
    const std::string message(error);
    soci::statement st =
        delivery.dead_lettered
            ? (sql.prepare << "UPDATE dead_letters SET lease_token = NULL, available_at = :a "
                              "WHERE id = :id AND lease_token = :token AND handled = 0",
               use(later), use(*id), use(delivery.lease_token))
            // A task on its last delivery becomes available at once: what waits for it is
            // dead-lettering, and the image's failure should be recorded without delay.
            : (sql.prepare << "UPDATE tasks SET lease_token = NULL, last_error = :e, "
                              "available_at = CASE WHEN delivery_count >= :max THEN :t ELSE :a "
                              "END WHERE id = :id AND lease_token = :token",
               use(message), use(config_.max_deliveries), use(t), use(later), use(*id),
               use(delivery.lease_token));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
  if (changed) wake();
  return changed;
}

bool SqliteTaskQueue::extend_lease(Delivery& delivery, Millis lease) {
  if (lease <= Millis::zero()) throw std::invalid_argument("lease must be positive");
  const auto id = parse_id(delivery.id);
  if (!id) return false;
  return guarded("extend lease", [&] {
    soci::session sql(db_.pool());
    const UnixMillis until = now() + lease.count();
    soci::statement st =
        delivery.dead_lettered
            ? (sql.prepare << "UPDATE dead_letters SET available_at = :a WHERE id = :id AND "
                              "lease_token = :token AND handled = 0",
               use(until), use(*id), use(delivery.lease_token))
            : (sql.prepare << "UPDATE tasks SET available_at = :a WHERE id = :id AND "
                              "lease_token = :token",
               use(until), use(*id), use(delivery.lease_token));
    st.execute(true);
    if (st.get_affected_rows() != 1) return false;
    delivery.lease_expires_at = until;
    return true;
  });
}

QueueDepth SqliteTaskQueue::depth() {
  return guarded("depth", [&] {
    soci::session sql(db_.pool());
    const UnixMillis t = now();
    QueueDepth depth;
    std::int64_t total = 0;
    sql << "SELECT COUNT(*), COALESCE(SUM(CASE WHEN lease_token IS NOT NULL AND available_at > "
           ":now THEN 1 ELSE 0 END), 0) FROM tasks",
        into(total), into(depth.in_flight), use(t);
    depth.waiting = total - depth.in_flight;
    sql << "SELECT COUNT(*) FROM dead_letters", into(depth.dead_letters);
    return depth;
  });
}

}  // namespace imagesprint
