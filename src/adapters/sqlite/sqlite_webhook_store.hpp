#pragma once
// WebhookStore on SQLite through SOCI (migrations 4 and 7 of the records).
#include "adapters/sqlite/database_pool.hpp"
#include "ports/webhook_store.hpp"

namespace imagesprint {

class SqliteWebhookStore final : public WebhookStore {
 public:
  explicit SqliteWebhookStore(DatabasePool& db);

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
  DatabasePool& db_;
};

}  // namespace imagesprint
