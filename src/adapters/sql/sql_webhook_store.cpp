#include "adapters/sql/sql_webhook_store.hpp"

#include <soci/boost-optional.h>

#include <algorithm>

#include "adapters/sql/records_migrations.hpp"
#include "adapters/sql/row_values.hpp"
#include "ports/page_cursor.hpp"

namespace imagesprint {

using soci::into;
using soci::use;

namespace {

constexpr const char* WEBHOOK_COLUMNS =
    "id, user_id, type, url, events, secret, previous_secret, previous_until, enabled, "
    "disabled_reason, consecutive_failures, created_at";
constexpr const char* DELIVERY_COLUMNS =
    "id, webhook_id, user_id, event, body, status, attempts, created_at, next_attempt_at, seq, "
    "job_id, job_name, attempt_base";

/// SOCI binds by reference and runs the statement when the whole `s << ..., use(...)` expression
/// ends, after its temporaries are gone: bind the result of this to a named variable first.
boost::optional<long long> nullable(const std::optional<UnixMillis>& value) {
  return value ? boost::optional<long long>(*value) : boost::optional<long long>();
}

/// Events are kept as one comma-separated column: a handful of fixed names, read whole.
std::string join_events(const std::vector<std::string>& events) {
  std::string text;
  for (const auto& event : events) {
    if (!text.empty()) text += ',';
    text += event;
  }
  return text;
}

std::vector<std::string> split_events(const std::string& text) {
  std::vector<std::string> events;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    if (comma > start) events.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return events;
}

Webhook webhook_from(const soci::row& r) {
  Webhook w;
  w.id = row_int(r, 0);
  w.user_id = row_int(r, 1);
  w.type = parse_webhook_type(row_text(r, 2)).value_or(WebhookType::generic);
  w.url = row_text(r, 3);
  w.events = split_events(row_text(r, 4));
  w.secret = row_text(r, 5);
  w.previous_secret = row_text(r, 6);
  w.previous_until = row_optional_int(r, 7);
  w.enabled = row_int(r, 8) != 0;
  w.disabled_reason = row_text(r, 9);
  w.consecutive_failures = static_cast<int>(row_int(r, 10));
  w.created_at = row_int(r, 11);
  return w;
}

WebhookDelivery delivery_from(const soci::row& r) {
  WebhookDelivery d;
  d.id = row_text(r, 0);
  d.webhook_id = row_int(r, 1);
  d.user_id = row_int(r, 2);
  d.event = row_text(r, 3);
  d.body = row_text(r, 4);
  d.status = parse_delivery_status(row_text(r, 5)).value_or(DeliveryStatus::failed);
  d.attempts = static_cast<int>(row_int(r, 6));
  d.created_at = row_int(r, 7);
  d.next_attempt_at = row_optional_int(r, 8);
  d.job_id = row_text(r, 10);
  d.job_name = row_text(r, 11);
  d.attempt_base = static_cast<int>(row_int(r, 12));
  return d;
}

std::vector<Webhook> collect(soci::rowset<soci::row>& rows) {
  std::vector<Webhook> webhooks;
  for (const auto& r : rows) webhooks.push_back(webhook_from(r));
  return webhooks;
}

/// The counter (migration 8) that numbers deliveries in the order they were written.
constexpr const char* DELIVERY_SEQ = "webhook_delivery_seq";

const std::string SELECT_WEBHOOKS = std::string("SELECT ") + WEBHOOK_COLUMNS + " FROM webhooks ";

}  // namespace

SqlWebhookStore::SqlWebhookStore(SqlDatabase& db) : db_(db) {
  db_.migrate("records", records_migrations());
}

Webhook SqlWebhookStore::create(const Webhook& webhook) {
  return db_.write("webhook store: create", [&](soci::session& s) {
    const std::string type(to_string(webhook.type));
    const std::string events = join_events(webhook.events);
    const int enabled = webhook.enabled ? 1 : 0;
    const auto previous_until = nullable(webhook.previous_until);
    s << "INSERT INTO webhooks (user_id, type, url, events, secret, previous_secret, "
         "previous_until, enabled, disabled_reason, consecutive_failures, created_at) VALUES (:u, "
         ":t, :url, :e, :s, :ps, :pu, :en, :dr, :cf, :c)",
        use(webhook.user_id), use(type), use(webhook.url), use(events), use(webhook.secret),
        use(webhook.previous_secret), use(previous_until), use(enabled),
        use(webhook.disabled_reason), use(webhook.consecutive_failures), use(webhook.created_at);
    Webhook stored = webhook;
    stored.id = db_.dialect().last_insert_id(s);
    return stored;
  });
}

std::vector<Webhook> SqlWebhookStore::list(std::int64_t user_id) {
  return db_.read("webhook store: list", [&](soci::session& sql) {
    soci::rowset<soci::row> rows =
        (sql.prepare << SELECT_WEBHOOKS + "WHERE user_id = :u ORDER BY id", use(user_id));
    return collect(rows);
  });
}

std::optional<Webhook> SqlWebhookStore::find(std::int64_t user_id, std::int64_t id) {
  return db_.read("webhook store: find", [&](soci::session& sql) -> std::optional<Webhook> {
    soci::rowset<soci::row> rows =
        (sql.prepare << SELECT_WEBHOOKS + "WHERE user_id = :u AND id = :i", use(user_id), use(id));
    auto found = collect(rows);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  });
}

bool SqlWebhookStore::update(const Webhook& webhook) {
  const std::string events = join_events(webhook.events);
  const int enabled = webhook.enabled ? 1 : 0;
  const auto previous_until = nullable(webhook.previous_until);
  return db_.write("webhook store: update", [&](soci::session& sql) {
    // Affected rows count the rows matched, changed or not, on both dialects (SOCI connects to
    // MariaDB with CLIENT_FOUND_ROWS): an update that changes nothing still finds the webhook.
    soci::statement st =
        (sql.prepare << "UPDATE webhooks SET events = :e, secret = :s, previous_secret = :ps, "
                        "previous_until = :pu, enabled = :en, disabled_reason = :dr, "
                        "consecutive_failures = :cf WHERE id = :i AND user_id = :u",
         use(events), use(webhook.secret), use(webhook.previous_secret), use(previous_until),
         use(enabled), use(webhook.disabled_reason), use(webhook.consecutive_failures),
         use(webhook.id), use(webhook.user_id));
    st.execute(true);
    return st.get_affected_rows() > 0;
  });
}

bool SqlWebhookStore::remove(std::int64_t user_id, std::int64_t id) {
  return db_.write("webhook store: remove", [&](soci::session& s) {
    soci::statement st =
        (s.prepare << "DELETE FROM webhooks WHERE id = :i AND user_id = :u", use(id), use(user_id));
    st.execute(true);
    if (st.get_affected_rows() == 0) return false;
    s << "DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries "
         "WHERE webhook_id = :i)",
        use(id);
    s << "DELETE FROM webhook_deliveries WHERE webhook_id = :i", use(id);
    return true;
  });
}

std::vector<Webhook> SqlWebhookStore::subscribers(std::int64_t user_id, const std::string& event) {
  auto all = db_.read("webhook store: subscribers", [&](soci::session& sql) {
    soci::rowset<soci::row> rows =
        (sql.prepare << SELECT_WEBHOOKS + "WHERE user_id = :u AND enabled = 1 ORDER BY id",
         use(user_id));
    return collect(rows);
  });
  std::erase_if(all, [&](const Webhook& w) {
    return std::find(w.events.begin(), w.events.end(), event) == w.events.end();
  });
  return all;
}

void SqlWebhookStore::add_deliveries(const std::vector<WebhookDelivery>& deliveries) {
  if (deliveries.empty()) return;
  const std::string lock(db_.dialect().lock_rows());
  db_.write("webhook store: add_deliveries", [&](soci::session& s) {
    // Numbers for these deliveries, taken from the counter under its row lock: concurrent writers
    // (other processes on MariaDB) get disjoint ranges, in the order they commit.
    const long long count = static_cast<long long>(deliveries.size());
    const std::string counter = DELIVERY_SEQ;
    s << "UPDATE counters SET last_value = last_value + :n WHERE name = :c", use(count),
        use(counter);
    long long last = 0;
    s << "SELECT last_value FROM counters WHERE name = :c" + lock, into(last), use(counter);
    long long seq = last - count;
    for (const auto& d : deliveries) {
      ++seq;
      const std::string status(to_string(d.status));
      const auto next_attempt_at = nullable(d.next_attempt_at);
      s << "INSERT INTO webhook_deliveries (id, seq, webhook_id, user_id, event, body, status, "
           "attempts, created_at, next_attempt_at, job_id, job_name, attempt_base) VALUES (:id, "
           ":seq, :w, :u, :e, :b, :s, :a, :c, :n, :j, :jn, :ab)",
          use(d.id), use(seq), use(d.webhook_id), use(d.user_id), use(d.event), use(d.body),
          use(status), use(d.attempts), use(d.created_at), use(next_attempt_at), use(d.job_id),
          use(d.job_name), use(d.attempt_base);
    }
  });
}

std::optional<WebhookDelivery> SqlWebhookStore::claim_due(UnixMillis now, UnixMillis lease_until) {
  const SqlDialect& dialect = db_.dialect();
  const std::string query = std::string("SELECT ") + DELIVERY_COLUMNS +
                            " FROM webhook_deliveries WHERE status = 'pending' AND "
                            "next_attempt_at <= :now ORDER BY next_attempt_at, seq" +
                            dialect.limit(1) + std::string(dialect.claim_rows());
  return db_.claim("webhook store: claim_due",
                   [&](soci::session& s) -> std::optional<WebhookDelivery> {
                     soci::rowset<soci::row> rows = (s.prepare << query, use(now, "now"));
                     std::optional<WebhookDelivery> claimed;
                     for (const auto& r : rows) claimed = delivery_from(r);
                     if (!claimed) return std::nullopt;
                     // Nobody else claims it between the SELECT and this UPDATE: SQLite's write
                     // lock is held; on MariaDB the row is locked and other claimers skip it.
                     s << "UPDATE webhook_deliveries SET next_attempt_at = :l WHERE id = :id",
                         use(lease_until), use(claimed->id);
                     return claimed;
                   });
}

void SqlWebhookStore::record_attempt(const DeliveryAttempt& attempt, DeliveryStatus status,
                                     std::optional<UnixMillis> next_attempt_at) {
  const SqlDialect& dialect = db_.dialect();
  // The same attempt recorded again (a dispatcher that retried its own write) replaces the row.
  const std::string upsert = dialect.upsert(
      "webhook_attempts",
      {"delivery_id", "attempt", "at", "status_code", "latency_ms", "error", "next_retry_at"},
      {"delivery_id", "attempt"});
  db_.write("webhook store: record_attempt", [&](soci::session& s) {
    const auto next_retry_at = nullable(attempt.next_retry_at);
    const auto next_due = nullable(next_attempt_at);
    s << upsert, use(attempt.delivery_id, "delivery_id"), use(attempt.attempt, "attempt"),
        use(attempt.at, "at"), use(attempt.status_code, "status_code"),
        use(attempt.latency_ms, "latency_ms"), use(attempt.error, "error"),
        use(next_retry_at, "next_retry_at");
    const std::string state(to_string(status));
    s << "UPDATE webhook_deliveries SET status = :s, attempts = :a, next_attempt_at = :n WHERE "
         "id = :d",
        use(state), use(attempt.attempt), use(next_due), use(attempt.delivery_id);
  });
}

std::optional<UnixMillis> SqlWebhookStore::next_due() {
  return db_.read("webhook store: next_due", [&](soci::session& sql) -> std::optional<UnixMillis> {
    boost::optional<long long> next;
    sql << "SELECT MIN(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending'",
        into(next);
    if (!next) return std::nullopt;
    return *next;
  });
}

DeliveryPage SqlWebhookStore::deliveries(std::int64_t user_id, std::int64_t webhook_id,
                                         const std::string& cursor, int limit) {
  const long long before = id_cursor(cursor);
  return db_.read("webhook store: deliveries", [&](soci::session& sql) {
    soci::rowset<soci::row> rows =
        (sql.prepare << std::string("SELECT ") + DELIVERY_COLUMNS +
                            " FROM webhook_deliveries WHERE user_id = :u AND webhook_id = :w AND "
                            "(:b = 0 OR seq < :b) ORDER BY seq DESC" +
                            db_.dialect().limit(limit + 1),
         use(user_id, "u"), use(webhook_id, "w"), use(before, "b"));
    DeliveryPage page;
    std::int64_t last_seq = 0;
    for (const auto& r : rows) {
      if (static_cast<int>(page.items.size()) == limit) {
        page.next_cursor = std::to_string(last_seq);
        break;
      }
      page.items.push_back(delivery_from(r));
      last_seq = row_int(r, 9);
    }
    return page;
  });
}

std::vector<DeliveryAttempt> SqlWebhookStore::attempts(const std::string& delivery_id) {
  return db_.read("webhook store: attempts", [&](soci::session& sql) {
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT delivery_id, attempt, at, status_code, "
                                                   "latency_ms, error, next_retry_at FROM "
                                                   "webhook_attempts WHERE delivery_id = :d ORDER "
                                                   "BY attempt",
                                    use(delivery_id));
    std::vector<DeliveryAttempt> attempts;
    for (const auto& r : rows) {
      attempts.push_back(DeliveryAttempt{row_text(r, 0), static_cast<int>(row_int(r, 1)),
                                         row_int(r, 2), static_cast<int>(row_int(r, 3)),
                                         row_int(r, 4), row_text(r, 5), row_optional_int(r, 6)});
    }
    return attempts;
  });
}

std::optional<WebhookDelivery> SqlWebhookStore::delivery(std::int64_t user_id,
                                                         std::int64_t webhook_id,
                                                         const std::string& delivery_id) {
  return db_.read("webhook store: delivery",
                  [&](soci::session& sql) -> std::optional<WebhookDelivery> {
                    soci::rowset<soci::row> rows =
                        (sql.prepare << std::string("SELECT ") + DELIVERY_COLUMNS +
                                            " FROM webhook_deliveries WHERE id = :d AND "
                                            "webhook_id = :w AND user_id = :u",
                         use(delivery_id), use(webhook_id), use(user_id));
                    for (const auto& r : rows) return delivery_from(r);
                    return std::nullopt;
                  });
}

bool SqlWebhookStore::requeue(const std::string& delivery_id, UnixMillis now) {
  return db_.write("webhook store: requeue", [&](soci::session& sql) {
    // Only a finished delivery: a pending one may be in a dispatcher's hands right now (its
    // next_attempt_at is then the lease), and moving it would send it twice.
    soci::statement st =
        (sql.prepare << "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = :n, "
                        "attempt_base = attempts WHERE id = :d AND status <> 'pending'",
         use(now), use(delivery_id));
    st.execute(true);
    return st.get_affected_rows() > 0;
  });
}

}  // namespace imagesprint
