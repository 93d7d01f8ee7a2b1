#pragma once
// Webhooks: a user's registered receivers and the deliveries made to them. Plain records, no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/job.hpp"

namespace imagesprint {

/// slack and discord get their own message formats and only their official hosts; generic gets a
/// versioned JSON event signed per the Standard Webhooks specification.
enum class WebhookType { slack, discord, generic };

std::string_view to_string(WebhookType type);
std::optional<WebhookType> parse_webhook_type(std::string_view name);

/// The events a webhook can subscribe to (an empty list at registration means all of them).
inline constexpr std::string_view WEBHOOK_EVENTS[] = {"job.completed", "job.failed", "job.expired"};
bool is_webhook_event(std::string_view name);

struct Webhook {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  WebhookType type = WebhookType::generic;
  std::string url;
  std::vector<std::string> events;  // subscribed event types
  std::string secret;               // generic only: "whsec_" + base64 of the random key
  std::string previous_secret;      // after a rotation: also signed with, until previous_until
  std::optional<UnixMillis> previous_until;
  bool enabled = true;
  std::string disabled_reason;   // why it was disabled (by the user, or after failing)
  int consecutive_failures = 0;  // deliveries that failed for good in a row
  UnixMillis created_at = 0;
};

/// pending: waiting for its next attempt (next_attempt_at); delivered: the receiver answered 2xx;
/// failed: no more attempts (a 4xx other than 429, or out of tries).
enum class DeliveryStatus { pending, delivered, failed };

std::string_view to_string(DeliveryStatus status);
std::optional<DeliveryStatus> parse_delivery_status(std::string_view name);

/// One message to one webhook, persisted before its first attempt; `id` is the Standard Webhooks
/// `webhook-id`, the same on every retry.
struct WebhookDelivery {
  std::string id;
  std::int64_t webhook_id = 0;
  std::int64_t user_id = 0;
  std::string event;  // "job.completed" ...
  std::string body;   // the exact payload sent on every attempt
  DeliveryStatus status = DeliveryStatus::pending;
  int attempts = 0;
  UnixMillis created_at = 0;
  std::optional<UnixMillis> next_attempt_at;  // when pending
  std::string job_id;    // the job the event is about (empty for older deliveries)
  std::string job_name;  // its name when the event happened, for the delivery log
  int attempt_base = 0;  // attempts made before the last redelivery: its tries count from here
};

/// One try of a delivery, for the deliveries log.
struct DeliveryAttempt {
  std::string delivery_id;
  int attempt = 0;  // 1-based
  UnixMillis at = 0;
  int status_code = 0;  // 0 when no HTTP answer came
  std::int64_t latency_ms = 0;
  std::string
      error;  // empty on success: "timeout", "connect: ...", "refused address ...", "HTTP 500"
  std::optional<UnixMillis> next_retry_at;
};

}  // namespace imagesprint
