#pragma once
// Port: the users' webhooks, the deliveries owed to them and the log of every attempt. A delivery
// is written before its first attempt and claimed with a lease, so several dispatchers (threads
// or processes) share the work and a crash only delays a delivery, never loses it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/webhook.hpp"

namespace imagesprint {

struct DeliveryPage {
  std::vector<WebhookDelivery> items;  // newest first
  std::string next_cursor;             // empty when there is no further page
};

class WebhookStore {
 public:
  virtual ~WebhookStore() = default;

  /// Stores a new webhook; returns it with its id.
  virtual Webhook create(const Webhook& webhook) = 0;
  /// The user's webhooks, oldest first.
  virtual std::vector<Webhook> list(std::int64_t user_id) = 0;
  /// nullopt when the user has no such webhook (another user's is "no such").
  virtual std::optional<Webhook> find(std::int64_t user_id, std::int64_t id) = 0;
  /// Saves the mutable fields (events, enabled, disabled_reason, secrets, consecutive_failures)
  /// of the user's webhook; false when there is none.
  virtual bool update(const Webhook& webhook) = 0;
  /// Deletes the webhook with its deliveries and their attempts; false when there is none.
  virtual bool remove(std::int64_t user_id, std::int64_t id) = 0;
  /// The user's enabled webhooks subscribed to `event`.
  virtual std::vector<Webhook> subscribers(std::int64_t user_id, const std::string& event) = 0;

  /// Persists new deliveries (status pending, next_attempt_at set) in one transaction.
  virtual void add_deliveries(const std::vector<WebhookDelivery>& deliveries) = 0;
  /// Takes the most overdue pending delivery whose next_attempt_at <= now and moves its
  /// next_attempt_at to lease_until, so no other dispatcher takes it meanwhile (and it comes
  /// back by itself if this one dies). nullopt when nothing is due.
  virtual std::optional<WebhookDelivery> claim_due(UnixMillis now, UnixMillis lease_until) = 0;
  /// Records one attempt and the delivery's new state (pending with the next attempt time, or
  /// delivered/failed) in one transaction.
  virtual void record_attempt(const DeliveryAttempt& attempt, DeliveryStatus status,
                              std::optional<UnixMillis> next_attempt_at) = 0;
  /// When the next pending delivery is due (to sleep until then), nullopt when none is pending.
  virtual std::optional<UnixMillis> next_due() = 0;
  /// A webhook's deliveries, newest first; `cursor` as for JobStore::list_jobs.
  virtual DeliveryPage deliveries(std::int64_t user_id, std::int64_t webhook_id,
                                  const std::string& cursor, int limit) = 0;
  /// A delivery's attempts, in order.
  virtual std::vector<DeliveryAttempt> attempts(const std::string& delivery_id) = 0;
  /// One of the user's deliveries to one of their webhooks; nullopt when there is none such.
  virtual std::optional<WebhookDelivery> delivery(std::int64_t user_id, std::int64_t webhook_id,
                                                  const std::string& delivery_id) = 0;
  /// Makes a finished (delivered or failed) delivery pending again, due at `now`, with a fresh
  /// budget of tries (attempt_base = attempts so far). False when it is pending already or gone.
  virtual bool requeue(const std::string& delivery_id, UnixMillis now) = 0;
};

}  // namespace imagesprint
