#pragma once
// Use cases of webhooks: registering and managing them (with the URL vetted and the generic
// type's signing secret generated and shown once), sending a test message, turning a job's end
// into persisted deliveries (cheap: the worker only writes rows), and the dispatcher's step that
// makes one attempt: sign, send, log, then settle or schedule the next try with exponential
// backoff and jitter (honouring Retry-After); a webhook whose deliveries keep failing for good is
// disabled and its owner notified.
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "domain/expected.hpp"
#include "domain/field_error.hpp"
#include "domain/webhook.hpp"
#include "ports/event_bus.hpp"
#include "ports/job_store.hpp"
#include "ports/notification_store.hpp"
#include "ports/object_store.hpp"
#include "ports/secrets.hpp"
#include "ports/webhook_store.hpp"
#include "ports/webhook_transport.hpp"

namespace imagesprint {

struct WebhookSettings {
  int max_attempts = DEFAULT_MAX_ATTEMPTS;                 // tries of one delivery
  double retry_base_seconds = DEFAULT_RETRY_BASE_SECONDS;  // the first wait; each next doubles
  int disable_after = DEFAULT_DISABLE_AFTER;               // deliveries failed for good in a row
  std::chrono::seconds lease{60};  // a claimed delivery's lease (> transport timeout)
  std::chrono::seconds rotation_grace{24 * 3600};  // old secret still signs after a rotation
  std::chrono::seconds max_retry_after{6 * 3600};  // a receiver's Retry-After is capped here
  int max_per_user = DEFAULT_MAX_PER_USER;         // webhooks one account may have
  std::size_t max_url_bytes = DEFAULT_MAX_URL_BYTES;
  /// Deliveries one event may fan out to (the oldest subscribers first); bounded by
  /// max_per_user anyway, and kept separately so lowering that never strands existing hooks.
  int max_fan_out = DEFAULT_MAX_PER_USER;

  // 15 tries with a 5 s base wait 5 x (2^14 - 1) s in all: about 23 hours, "about a day".
  static constexpr int DEFAULT_MAX_ATTEMPTS = 15;
  static constexpr double DEFAULT_RETRY_BASE_SECONDS = 5.0;
  static constexpr int DEFAULT_DISABLE_AFTER = 5;
  static constexpr int DEFAULT_MAX_PER_USER = 20;
  static constexpr std::size_t DEFAULT_MAX_URL_BYTES = 2048;
  // The ranges validate() accepts (the service's settings check the same ones).
  static constexpr int MAX_MAX_ATTEMPTS = 50;
  static constexpr double MAX_RETRY_BASE_SECONDS = 3600;
  /// Every bad setting, each by its name (the use case's constructor refuses them all at once).
  FieldErrors validate() const;
};

struct WebhookDeps {
  WebhookStore& store;
  WebhookTransport& transport;
  ObjectStore& objects;
  NotificationStore& notifications;
  EventBus& events;
  const Secrets& secrets;
  Clock now;
  /// The service's public base URL ("https://img.example.com"), for download links when the
  /// object store gives relative ones.
  std::function<std::string()> link_base;
  /// The images of a job, for the failed ones an event lists; nullptr: events list none.
  JobStore* jobs = nullptr;
};

/// What a user sends to register a webhook (strings as received; validated here).
struct WebhookInput {
  std::string type;
  std::string url;
  std::optional<std::vector<std::string>> events;  // nullopt: all events
  std::optional<std::string> secret;               // generic only; generated when absent
};

/// A change to a webhook (PATCH): only the fields given change.
struct WebhookPatch {
  std::optional<bool> enabled;
  std::optional<std::vector<std::string>> events;
  bool rotate_secret = false;
};

/// A webhook with its signing secret in clear: returned once, at creation or rotation.
struct WebhookWithSecret {
  Webhook webhook;
  std::string shown_secret;  // empty for slack/discord and for other changes
};

struct WebhookTestResult {
  bool ok = false;  // the receiver answered 2xx
  int status = 0;
  std::int64_t latency_ms = 0;
  std::string error;
  /// A generic test given no secret is signed with a new one, returned here so the client can
  /// register the webhook with it (then the receiver verifies the test and the real deliveries
  /// with the same key). Empty otherwise.
  std::string generated_secret;
};

/// A page of a webhook's deliveries, each with its attempts, newest first.
struct DeliveryLog {
  std::vector<std::pair<WebhookDelivery, std::vector<DeliveryAttempt>>> items;
  std::string next_cursor;  // empty when there is no further page
};

class Webhooks {
 public:
  Webhooks(WebhookDeps deps, WebhookSettings settings);

  Expected<WebhookWithSecret> create(std::int64_t user_id, const WebhookInput& input);
  std::vector<Webhook> list(std::int64_t user_id);
  std::optional<Webhook> find(std::int64_t user_id, std::int64_t id);
  /// not_found when the user has no such webhook; invalid_request naming a bad field.
  Expected<WebhookWithSecret> update(std::int64_t user_id, std::int64_t id,
                                     const WebhookPatch& patch);
  bool remove(std::int64_t user_id, std::int64_t id);
  /// nullopt when the user has no such webhook; InvalidCursor (ports/page_cursor.hpp) for a
  /// cursor that no page gave.
  std::optional<DeliveryLog> deliveries(std::int64_t user_id, std::int64_t id,
                                        const std::string& cursor, int limit);
  /// Sends a delivery of the user's webhook again (POST .../redeliver): a delivered or failed
  /// one becomes pending, due now, with a fresh budget of tries, and keeps its id, body and
  /// attempt log (so a receiver that got it once can deduplicate on webhook-id). not_found when
  /// the user has no such webhook or delivery; conflict when it is still pending or the webhook
  /// is disabled.
  Expected<std::pair<WebhookDelivery, std::vector<DeliveryAttempt>>> redeliver(
      std::int64_t user_id, std::int64_t webhook_id, const std::string& delivery_id);
  /// Sends a "webhook.test" message to a URL (not saved) and reports what the receiver said. A
  /// generic one is signed exactly as real deliveries are (the same Standard Webhooks headers
  /// through the same function), with the given secret or a generated one.
  Expected<WebhookTestResult> test(std::int64_t user_id, const WebhookInput& input);

  /// A job ended ("job.completed", "job.failed", "job.expired"): one delivery per subscribed
  /// webhook of its owner, persisted, due now. Returns how many.
  int job_event(const Job& job, const std::string& event);

  /// The dispatcher's step: claims one due delivery and makes one attempt. False when none was
  /// due. Thread-safe (several dispatchers may run it; the store's lease keeps them apart).
  bool deliver_one();
  /// When the next pending delivery is due (nullopt: none pending).
  std::optional<UnixMillis> next_due();

  /// The wait before try `attempt` + 1 after `attempt` failed: base x 2^(attempt-1), with +-25 %
  /// jitter so that receivers coming back are not hit by every retry at once.
  std::chrono::milliseconds backoff(int attempt);

 private:
  std::vector<std::pair<std::string, std::string>> signature_headers(const Webhook& webhook,
                                                                     const WebhookDelivery& d,
                                                                     UnixMillis now) const;
  void settle_failure(Webhook webhook, const std::string& error, UnixMillis now);
  std::string new_delivery_id() const;

  WebhookDeps deps_;
  WebhookSettings settings_;
  std::mutex random_mutex_;
  std::mt19937_64 random_;
};

}  // namespace imagesprint
