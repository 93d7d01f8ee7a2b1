#include "app/webhooks.hpp"
#include "domain/json_text.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "app/json_views.hpp"
#include "app/notices.hpp"
#include "app/object_keys.hpp"
#include "app/user_events.hpp"
#include "app/webhook_payloads.hpp"
#include "app/webhook_signature.hpp"
#include "domain/untrusted_text.hpp"

namespace imagesprint {

namespace {

constexpr std::chrono::seconds MAX_LINK_TTL{7 * 24 * 3600};  // the longest a presigned URL lives
// What a failed try is remembered as: the transport's words (a resolver's message names the
// host, up to 253 characters, and a refusal lists every address), cut to what the records hold.
constexpr std::size_t MAX_ERROR_CHARS = 500;   // a try's error (the deliveries log holds 1,024)
constexpr std::size_t MAX_REASON_CHARS = 255;  // why a webhook was disabled

Error invalid(const std::string& field, const std::string& message) {
  return Error{ErrorCode::invalid_request, field + ": " + message, field, {}, false};
}

Expected<std::vector<std::string>> checked_events(
    const std::optional<std::vector<std::string>>& in) {
  std::vector<std::string> events;
  if (!in) {
    for (const auto event : WEBHOOK_EVENTS) events.emplace_back(event);
    return events;
  }
  if (in->empty()) return invalid("events", "at least one event, or leave it out for all");
  for (const auto& event : *in) {
    if (!is_webhook_event(event)) {
      return invalid("events", "unknown event \"" + event +
                                   "\" (expected job.completed, job.failed or job.expired)");
    }
    if (std::find(events.begin(), events.end(), event) == events.end()) events.push_back(event);
  }
  return events;
}

bool is_success(int status) {
  return status >= 200 && status < 300;
}

/// Whether trying again could help: the network or the receiver's temporary trouble (timeouts,
/// refused connections, 429, 5xx), not a refusal (other 4xx, a redirect) or our own policy.
bool is_retryable(const OutboundResponse& r) {
  switch (r.failure) {
    case OutboundResponse::Failure::none:
      return r.status == 429 || r.status >= 500;
    case OutboundResponse::Failure::refused_address:
    case OutboundResponse::Failure::bad_url:
      return false;
    default:
      return true;
  }
}

std::string describe(const OutboundResponse& r) {
  if (r.failure == OutboundResponse::Failure::none) {
    return is_success(r.status) ? "" : "HTTP " + std::to_string(r.status);
  }
  return r.error.empty() ? "no answer" : cut_code_points(r.error, MAX_ERROR_CHARS);
}

}  // namespace

FieldErrors WebhookSettings::validate() const {
  FieldErrors errors;
  if (max_attempts < 1 || max_attempts > MAX_MAX_ATTEMPTS) {
    errors.push_back({"webhook_max_attempts", "expected 1 to " + std::to_string(MAX_MAX_ATTEMPTS) +
                                                  ", got " + std::to_string(max_attempts)});
  }
  if (!(retry_base_seconds > 0) || retry_base_seconds > MAX_RETRY_BASE_SECONDS) {
    errors.push_back({"webhook_retry_base", "expected more than 0, at most 3600 seconds"});
  }
  if (disable_after < 1) {
    errors.push_back(
        {"webhook_disable_after", "expected at least 1, got " + std::to_string(disable_after)});
  }
  return errors;
}

Webhooks::Webhooks(WebhookDeps deps, WebhookSettings settings)
    : deps_(std::move(deps)), settings_(std::move(settings)), random_(std::random_device{}()) {
  refuse(settings_.validate());
}

Expected<WebhookWithSecret> Webhooks::create(std::int64_t user_id, const WebhookInput& input) {
  const auto type = parse_webhook_type(input.type);
  if (!type) return invalid("type", "expected slack, discord or generic");
  if (input.url.size() > settings_.max_url_bytes) {
    return invalid("url", "at most " + std::to_string(settings_.max_url_bytes) + " bytes");
  }
  if (auto why = deps_.transport.refuse_url(input.url, *type)) return invalid("url", *why);
  if (static_cast<int>(deps_.store.list(user_id).size()) >= settings_.max_per_user) {
    return Error{ErrorCode::quota_exceeded,
                 "webhooks: an account has at most " + std::to_string(settings_.max_per_user) +
                     " webhooks; delete one first",
                 "webhooks",
                 {},
                 false,
                 0,
                 "error.quota_exceeded.webhooks",
                 {{"max", settings_.max_per_user}}};
  }
  auto events = checked_events(input.events);
  if (!events) return events.error();
  Webhook webhook;
  webhook.user_id = user_id;
  webhook.type = *type;
  webhook.url = input.url;
  webhook.events = std::move(*events);
  webhook.created_at = deps_.now();
  std::string shown;
  if (*type == WebhookType::generic) {
    if (input.secret) {
      if (auto why = validate_webhook_secret(deps_.secrets, *input.secret)) {
        return invalid("secret", *why);
      }
      webhook.secret = normalize_webhook_secret(*input.secret);
    } else {
      webhook.secret = generate_webhook_secret(deps_.secrets);
    }
    shown = webhook.secret;
  } else if (input.secret) {
    return invalid("secret", "only generic webhooks are signed");
  }
  return WebhookWithSecret{deps_.store.create(webhook), shown};
}

std::vector<Webhook> Webhooks::list(std::int64_t user_id) {
  return deps_.store.list(user_id);
}

std::optional<Webhook> Webhooks::find(std::int64_t user_id, std::int64_t id) {
  return deps_.store.find(user_id, id);
}

Expected<WebhookWithSecret> Webhooks::update(std::int64_t user_id, std::int64_t id,
                                             const WebhookPatch& patch) {
  auto webhook = deps_.store.find(user_id, id);
  if (!webhook) return Error{ErrorCode::not_found, "no such webhook", "", {}, false};
  if (patch.events) {
    auto events = checked_events(patch.events);
    if (!events) return events.error();
    webhook->events = std::move(*events);
  }
  if (patch.enabled) {
    webhook->enabled = *patch.enabled;
    webhook->disabled_reason = *patch.enabled ? "" : "disabled by the user";
    if (*patch.enabled) webhook->consecutive_failures = 0;
  }
  std::string shown;
  if (patch.rotate_secret) {
    if (webhook->type != WebhookType::generic) {
      return invalid("rotate_secret", "only generic webhooks are signed");
    }
    // Receivers get both signatures until they have the new secret (Standard Webhooks allows
    // several space-separated signatures).
    webhook->previous_secret = webhook->secret;
    webhook->previous_until =
        deps_.now() +
        std::chrono::duration_cast<std::chrono::milliseconds>(settings_.rotation_grace).count();
    webhook->secret = generate_webhook_secret(deps_.secrets);
    shown = webhook->secret;
  }
  if (!deps_.store.update(*webhook)) {
    return Error{ErrorCode::not_found, "no such webhook", "", {}, false};
  }
  return WebhookWithSecret{*webhook, shown};
}

bool Webhooks::remove(std::int64_t user_id, std::int64_t id) {
  return deps_.store.remove(user_id, id);
}

std::optional<DeliveryLog> Webhooks::deliveries(std::int64_t user_id, std::int64_t id,
                                                const std::string& cursor, int limit) {
  if (!deps_.store.find(user_id, id)) return std::nullopt;
  auto page = deps_.store.deliveries(user_id, id, cursor, limit);
  DeliveryLog log;
  for (auto& delivery : page.items) {
    auto attempts = deps_.store.attempts(delivery.id);
    log.items.emplace_back(std::move(delivery), std::move(attempts));
  }
  log.next_cursor = std::move(page.next_cursor);
  return log;
}

Expected<std::pair<WebhookDelivery, std::vector<DeliveryAttempt>>> Webhooks::redeliver(
    std::int64_t user_id, std::int64_t webhook_id, const std::string& delivery_id) {
  const Error no_such{ErrorCode::not_found, "no such delivery", "", {}, false};
  const auto webhook = deps_.store.find(user_id, webhook_id);
  if (!webhook) return no_such;
  if (!webhook->enabled) {
    return Error{
        ErrorCode::conflict, "the webhook is disabled; enable it first", "enabled", {}, false};
  }
  const auto delivery = deps_.store.delivery(user_id, webhook_id, delivery_id);
  if (!delivery) return no_such;
  if (!deps_.store.requeue(delivery->id, deps_.now())) {
    return Error{ErrorCode::conflict,
                 "the delivery is still pending: it is sent again by itself at its next attempt",
                 "status",
                 {},
                 false};
  }
  auto requeued = deps_.store.delivery(user_id, webhook_id, delivery_id);
  if (!requeued) return no_such;  // deleted with its webhook in between
  return std::pair{std::move(*requeued), deps_.store.attempts(delivery_id)};
}

Expected<WebhookTestResult> Webhooks::test(std::int64_t user_id, const WebhookInput& input) {
  const auto type = parse_webhook_type(input.type);
  if (!type) return invalid("type", "expected slack, discord or generic");
  if (input.url.size() > settings_.max_url_bytes) {
    return invalid("url", "at most " + std::to_string(settings_.max_url_bytes) + " bytes");
  }
  if (auto why = deps_.transport.refuse_url(input.url, *type)) return invalid("url", *why);
  Webhook webhook;
  webhook.user_id = user_id;
  webhook.type = *type;
  webhook.url = input.url;
  if (*type == WebhookType::generic && input.secret) {
    if (auto why = validate_webhook_secret(deps_.secrets, *input.secret)) {
      return invalid("secret", *why);
    }
    webhook.secret = normalize_webhook_secret(*input.secret);
  }
  std::string generated;
  if (*type == WebhookType::generic && webhook.secret.empty()) {
    generated = webhook.secret = generate_webhook_secret(deps_.secrets);
  }
  const UnixMillis now = deps_.now();
  WebhookEvent event;
  event.id = new_delivery_id();
  event.type = std::string(WEBHOOK_TEST_EVENT);
  event.created_at = now;
  event.job.id = "test";
  event.job.name = "ImageSprint test message";
  event.job.status = JobStatus::done;
  event.job.total = event.job.done = 3;
  event.job.bytes_in = 12'400'000;
  event.job.bytes_out = 3'100'000;
  event.job.created_at = now - 4200;
  event.job.started_at = now - 4000;
  event.job.finished_at = now;
  const std::string body = webhook_body(*type, event);
  OutboundRequest request{input.url, {}, body};
  if (*type == WebhookType::generic) {
    // The same headers deliver_one() sends (signature_headers), from the same function.
    request.headers = standard_webhook_headers(deps_.secrets, webhook, event.id, now, body);
  }
  const OutboundResponse response = deps_.transport.post(request);
  return WebhookTestResult{
      response.failure == OutboundResponse::Failure::none && is_success(response.status),
      response.status, response.latency.count(), describe(response), generated};
}

int Webhooks::job_event(const Job& job, const std::string& event) {
  auto subscribers = deps_.store.subscribers(job.user_id, event);
  if (subscribers.empty()) return 0;
  if (static_cast<int>(subscribers.size()) > settings_.max_fan_out) {
    subscribers.resize(static_cast<std::size_t>(settings_.max_fan_out));
  }
  const UnixMillis now = deps_.now();
  WebhookEvent payload;
  payload.type = event;
  payload.created_at = now;
  payload.job = job;
  if (event == "job.completed" && job.done > 0 && job.expires_at && *job.expires_at > now) {
    // The link lives as long as the results (a presigned URL at most a week).
    const auto ttl = std::clamp(std::chrono::seconds((*job.expires_at - now) / 1000),
                                std::chrono::seconds(1), MAX_LINK_TTL);
    const auto link = deps_.objects.presign(PresignMethod::get, object_keys::archive(job.id), ttl);
    payload.download_url =
        link.relative && deps_.link_base ? deps_.link_base() + link.url : link.url;
    payload.download_expires_at = link.expires_at;
  }
  if (job.failed > 0 && deps_.jobs) {
    // A partial or failed job says which images failed and why.
    for (ImageRecord& image : deps_.jobs->images(job.id)) {
      if (image.status != ImageStatus::failed) continue;
      if (payload.failed_images.size() == WEBHOOK_MAX_FAILED_IMAGES) break;
      payload.failed_images.push_back(std::move(image));
    }
  }
  std::vector<WebhookDelivery> deliveries;
  for (const Webhook& webhook : subscribers) {
    payload.id = new_delivery_id();
    WebhookDelivery delivery{payload.id,
                             webhook.id,
                             webhook.user_id,
                             event,
                             webhook_body(webhook.type, payload),
                             DeliveryStatus::pending,
                             0,
                             now,
                             now};
    delivery.job_id = job.id;
    delivery.job_name = job.name;
    deliveries.push_back(std::move(delivery));
  }
  deps_.store.add_deliveries(deliveries);
  return static_cast<int>(deliveries.size());
}

bool Webhooks::deliver_one() {
  const UnixMillis now = deps_.now();
  const auto lease =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(settings_.lease).count();
  auto delivery = deps_.store.claim_due(now, lease);
  if (!delivery) return false;
  const int attempt = delivery->attempts + 1;
  auto webhook = deps_.store.find(delivery->user_id, delivery->webhook_id);
  if (!webhook || !webhook->enabled) {
    deps_.store.record_attempt({delivery->id, attempt, now, 0, 0,
                                webhook ? "webhook disabled" : "webhook deleted", std::nullopt},
                               DeliveryStatus::failed, std::nullopt);
    return true;
  }
  OutboundRequest request{webhook->url, {}, delivery->body};
  if (webhook->type == WebhookType::generic) {
    request.headers = signature_headers(*webhook, *delivery, now);
  }
  const OutboundResponse response = deps_.transport.post(request);
  const UnixMillis after = deps_.now();
  DeliveryAttempt record{
      delivery->id,       attempt,     now, response.status, response.latency.count(),
      describe(response), std::nullopt};

  if (response.failure == OutboundResponse::Failure::none && is_success(response.status)) {
    deps_.store.record_attempt(record, DeliveryStatus::delivered, std::nullopt);
    if (webhook->consecutive_failures > 0) {
      webhook->consecutive_failures = 0;
      deps_.store.update(*webhook);
    }
    return true;
  }
  // A redelivered one counts its tries from the redelivery (attempt_base).
  if (is_retryable(response) && attempt - delivery->attempt_base < settings_.max_attempts) {
    auto wait = backoff(attempt);
    if (response.retry_after) {
      const auto asked = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::min(*response.retry_after, settings_.max_retry_after));
      wait = std::max(wait, asked);
    }
    record.next_retry_at = after + wait.count();
    deps_.store.record_attempt(record, DeliveryStatus::pending, record.next_retry_at);
    return true;
  }
  deps_.store.record_attempt(record, DeliveryStatus::failed, std::nullopt);
  settle_failure(*webhook, record.error, after);
  return true;
}

std::optional<UnixMillis> Webhooks::next_due() {
  return deps_.store.next_due();
}

std::chrono::milliseconds Webhooks::backoff(int attempt) {
  double jitter = 1.0;
  {
    std::lock_guard lock(random_mutex_);
    jitter = std::uniform_real_distribution<double>(0.75, 1.25)(random_);
  }
  const double seconds =
      settings_.retry_base_seconds * std::pow(2.0, std::clamp(attempt - 1, 0, 30)) * jitter;
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000.0));
}

std::vector<std::pair<std::string, std::string>> Webhooks::signature_headers(
    const Webhook& webhook, const WebhookDelivery& d, UnixMillis now) const {
  return standard_webhook_headers(deps_.secrets, webhook, d.id, now, d.body);
}

void Webhooks::settle_failure(Webhook webhook, const std::string& error, UnixMillis now) {
  ++webhook.consecutive_failures;
  if (webhook.consecutive_failures >= settings_.disable_after) {
    webhook.enabled = false;
    webhook.disabled_reason = cut_code_points(std::to_string(webhook.consecutive_failures) +
                                                  " deliveries in a row failed; last: " + error,
                                              MAX_REASON_CHARS);
    deps_.store.update(webhook);
    const Notification n = add_notice(deps_.notifications, webhook.user_id, "WEBHOOK_DISABLED", "",
                                      {{"webhook_id", webhook.id},
                                       {"type", to_string(webhook.type)},
                                       {"failures", webhook.consecutive_failures},
                                       {"error", error}},
                                      now);
    publish(deps_.events, NotificationEvent{n});
    return;
  }
  deps_.store.update(webhook);
}

std::string Webhooks::new_delivery_id() const {
  return new_webhook_message_id(deps_.secrets);
}

}  // namespace imagesprint
