#pragma once
// WebhookStore on SQL through SOCI (SQLite or MariaDB, see SqlDatabase; migrations 4, 7 and 8 of
// the records). Deliveries are claimed in the dialect's claim transaction: on MariaDB with
// SELECT ... FOR UPDATE SKIP LOCKED, so dispatchers in many processes take disjoint deliveries.
#include "adapters/sql/sql_database.hpp"
#include "ports/webhook_store.hpp"

namespace imagesprint {

class SqlWebhookStore final : public WebhookStore {
 public:
  /// Applies the records migrations. `db` must outlive the store.
  explicit SqlWebhookStore(SqlDatabase& db);

  Webhook create(const Webhook& webhook) override;
  std::vector<Webhook> list(std::int64_t user_id) override;
  std::optional<Webhook> find(std::int64_t user_id, std::int64_t id) override;
  bool update(const Webhook& webhook) override;
  bool remove(std::int64_t user_id, std::int64_t id) override;
  std::vector<Webhook> subscribers(std::int64_t user_id, const std::string& event) override;

  void add_deliveries(const std::vector<WebhookDelivery>& deliveries) override;
  std::optional<WebhookDelivery> claim_due(UnixMillis now, UnixMillis lease_until) override;
  void record_attempt(const DeliveryAttempt& attempt, DeliveryStatus status,
                      std::optional<UnixMillis> next_attempt_at) override;
  std::optional<UnixMillis> next_due() override;
  DeliveryPage deliveries(std::int64_t user_id, std::int64_t webhook_id, const std::string& cursor,
                          int limit) override;
  std::vector<DeliveryAttempt> attempts(const std::string& delivery_id) override;
  std::optional<WebhookDelivery> delivery(std::int64_t user_id, std::int64_t webhook_id,
                                          const std::string& delivery_id) override;
  bool requeue(const std::string& delivery_id, UnixMillis now) override;

 private:
  SqlDatabase& db_;
};

}  // namespace imagesprint
