#include "adapters/sqlite/sqlite_webhook_store.hpp"

#include <soci/boost-optional.h>

#include <algorithm>

#include "adapters/sqlite/records_schema.hpp"
#include "adapters/sqlite/row_values.hpp"

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

const std::string SELECT_WEBHOOKS = std::string("SELECT ") + WEBHOOK_COLUMNS + " FROM webhooks ";

}  // namespace

SqliteWebhookStore::SqliteWebhookStore(DatabasePool& db) : db_(db) {
  db_.migrate("records", records_migrations());
}

Webhook SqliteWebhookStore::create(const Webhook& webhook) {
  soci::session sql(db_.pool());
  return write_transaction(sql, [&](soci::session& s) {
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
    long long id = 0;
    s << "SELECT last_insert_rowid()", into(id);
    Webhook stored = webhook;
    stored.id = id;
    return stored;
  });
}

std::vector<Webhook> SqliteWebhookStore::list(std::int64_t user_id) {
  soci::session sql(db_.pool());
  soci::rowset<soci::row> rows =
      (sql.prepare << SELECT_WEBHOOKS + "WHERE user_id = :u ORDER BY id", use(user_id));
  return collect(rows);
}

std::optional<Webhook> SqliteWebhookStore::find(std::int64_t user_id, std::int64_t id) {
  soci::session sql(db_.pool());
  soci::rowset<soci::row> rows =
      (sql.prepare << SELECT_WEBHOOKS + "WHERE user_id = :u AND id = :i", use(user_id), use(id));
  auto found = collect(rows);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

bool SqliteWebhookStore::update(const Webhook& webhook) {
  soci::session sql(db_.pool());
  const std::string events = join_events(webhook.events);
  const int enabled = webhook.enabled ? 1 : 0;
  const auto previous_until = nullable(webhook.previous_until);
  soci::statement st =
      (sql.prepare << "UPDATE webhooks SET events = :e, secret = :s, previous_secret = :ps, "
                      "previous_until = :pu, enabled = :en, disabled_reason = :dr, "
                      "consecutive_failures = :cf WHERE id = :i AND user_id = :u",
       use(events), use(webhook.secret), use(webhook.previous_secret), use(previous_until),
       use(enabled), use(webhook.disabled_reason), use(webhook.consecutive_failures),
       use(webhook.id), use(webhook.user_id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

bool SqliteWebhookStore::remove(std::int64_t user_id, std::int64_t id) {
  soci::session sql(db_.pool());
  return write_transaction(sql, [&](soci::session& s) {
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

std::vector<Webhook> SqliteWebhookStore::subscribers(std::int64_t user_id,
                                                     const std::string& event) {
  soci::session sql(db_.pool());
  soci::rowset<soci::row> rows =
      (sql.prepare << SELECT_WEBHOOKS + "WHERE user_id = :u AND enabled = 1 ORDER BY id",
       use(user_id));
  auto all = collect(rows);
  std::erase_if(all, [&](const Webhook& w) {
    return std::find(w.events.begin(), w.events.end(), event) == w.events.end();
  });
  return all;
}

void SqliteWebhookStore::add_deliveries(const std::vector<WebhookDelivery>& deliveries) {
  if (deliveries.empty()) return;
  soci::session sql(db_.pool());
  write_transaction(sql, [&](soci::session& s) {
    long long seq = 0;
    s << "SELECT COALESCE(MAX(seq), 0) FROM webhook_deliveries", into(seq);
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

std::optional<WebhookDelivery> SqliteWebhookStore::claim_due(UnixMillis now,
                                                             UnixMillis lease_until) {
  soci::session sql(db_.pool());
  return write_transaction(sql, [&](soci::session& s) -> std::optional<WebhookDelivery> {
    soci::rowset<soci::row> rows =
        (s.prepare << std::string("SELECT ") + DELIVERY_COLUMNS +
                          " FROM webhook_deliveries WHERE status = 'pending' AND "
                          "next_attempt_at <= :now ORDER BY next_attempt_at, seq LIMIT 1",
         use(now, "now"));
    std::optional<WebhookDelivery> claimed;
    for (const auto& r : rows) claimed = delivery_from(r);
    if (!claimed) return std::nullopt;
    // BEGIN IMMEDIATE holds the write lock: nobody else can claim it between select and update.
    s << "UPDATE webhook_deliveries SET next_attempt_at = :l WHERE id = :id", use(lease_until),
        use(claimed->id);
    return claimed;
  });
}

void SqliteWebhookStore::record_attempt(const DeliveryAttempt& attempt, DeliveryStatus status,
                                        std::optional<UnixMillis> next_attempt_at) {
  soci::session sql(db_.pool());
  write_transaction(sql, [&](soci::session& s) {
    const auto next_retry_at = nullable(attempt.next_retry_at);
    const auto next_due = nullable(next_attempt_at);
    s << "INSERT OR REPLACE INTO webhook_attempts (delivery_id, attempt, at, status_code, "
         "latency_ms, error, next_retry_at) VALUES (:d, :a, :at, :sc, :l, :e, :n)",
        use(attempt.delivery_id), use(attempt.attempt), use(attempt.at), use(attempt.status_code),
        use(attempt.latency_ms), use(attempt.error), use(next_retry_at);
    const std::string state(to_string(status));
    s << "UPDATE webhook_deliveries SET status = :s, attempts = :a, next_attempt_at = :n WHERE "
         "id = :d",
        use(state), use(attempt.attempt), use(next_due), use(attempt.delivery_id);
  });
}

std::optional<UnixMillis> SqliteWebhookStore::next_due() {
  soci::session sql(db_.pool());
  boost::optional<long long> next;
  sql << "SELECT MIN(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending'", into(next);
  if (!next) return std::nullopt;
  return *next;
}

DeliveryPage SqliteWebhookStore::deliveries(std::int64_t user_id, std::int64_t webhook_id,
                                            const std::string& cursor, int limit) {
  long long before = 0;
  try {
    before = cursor.empty() ? 0 : std::stoll(cursor);
  } catch (const std::exception&) {
    before = 0;  // a malformed cursor starts from the top
  }
  const long long fetch = limit + 1;
  soci::session sql(db_.pool());
  soci::rowset<soci::row> rows =
      (sql.prepare << std::string("SELECT ") + DELIVERY_COLUMNS +
                          " FROM webhook_deliveries WHERE user_id = :u AND webhook_id = :w AND "
                          "(:b = 0 OR seq < :b) ORDER BY seq DESC LIMIT :l",
       use(user_id, "u"), use(webhook_id, "w"), use(before, "b"), use(fetch, "l"));
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
}

std::vector<DeliveryAttempt> SqliteWebhookStore::attempts(const std::string& delivery_id) {
  soci::session sql(db_.pool());
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT delivery_id, attempt, at, status_code, latency_ms, error, "
                      "next_retry_at FROM webhook_attempts WHERE delivery_id = :d ORDER BY attempt",
       use(delivery_id));
  std::vector<DeliveryAttempt> attempts;
  for (const auto& r : rows) {
    attempts.push_back(DeliveryAttempt{row_text(r, 0), static_cast<int>(row_int(r, 1)),
                                       row_int(r, 2), static_cast<int>(row_int(r, 3)),
                                       row_int(r, 4), row_text(r, 5), row_optional_int(r, 6)});
  }
  return attempts;
}

std::optional<WebhookDelivery> SqliteWebhookStore::delivery(std::int64_t user_id,
                                                            std::int64_t webhook_id,
                                                            const std::string& delivery_id) {
  soci::session sql(db_.pool());
  soci::rowset<soci::row> rows =
      (sql.prepare << std::string("SELECT ") + DELIVERY_COLUMNS +
                          " FROM webhook_deliveries WHERE id = :d AND webhook_id = :w AND "
                          "user_id = :u",
       use(delivery_id), use(webhook_id), use(user_id));
  for (const auto& r : rows) return delivery_from(r);
  return std::nullopt;
}

bool SqliteWebhookStore::requeue(const std::string& delivery_id, UnixMillis now) {
  soci::session sql(db_.pool());
  // Only a finished delivery: a pending one may be in a dispatcher's hands right now (its
  // next_attempt_at is then the lease), and moving it would send it twice.
  soci::statement st =
      (sql.prepare << "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = :n, "
                      "attempt_base = attempts WHERE id = :d AND status <> 'pending'",
       use(now), use(delivery_id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

}  // namespace imagesprint
