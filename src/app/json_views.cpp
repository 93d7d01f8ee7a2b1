#include "app/json_views.hpp"

#include "app/notices.hpp"
#include "domain/manifest.hpp"
#include "domain/options_json.hpp"

namespace imagesprint {
namespace {

nlohmann::json time_or_null(const std::optional<UnixMillis>& t) {
  return t ? nlohmann::json(iso8601(*t)) : nlohmann::json();
}

}  // namespace

nlohmann::json user_json(const User& user) {
  return {{"id", user.id}, {"email", user.email}, {"created_at", iso8601(user.created_at)}};
}

nlohmann::json api_key_json(const ApiKey& key) {
  return {{"id", key.id},
          {"name", key.name},
          {"prefix", "isk_" + key.prefix},
          {"created_at", iso8601(key.created_at)},
          {"last_used_at", time_or_null(key.last_used_at)}};
}

nlohmann::json image_json(const ImageRecord& i, Language language) {
  nlohmann::json out = image_entry(i);
  out["attempts"] = i.attempts;
  if (!i.error_code.empty()) {
    // The reason in the reader's words; the engine's or the use case's own (English, technical:
    // "VipsJpeg: premature end of JPEG image") stays as `detail`.
    const auto message = render_message("image." + i.error_code, {}, language);
    out["error"] = {{"code", i.error_code},
                    {"message", message.value_or(i.error_message)},
                    {"detail", i.error_message}};
  }
  return out;
}

nlohmann::json job_json(const Job& job, const std::vector<ImageRecord>* images, Language language) {
  nlohmann::json out = {
      {"id", job.id},
      {"name", job.name},
      {"status", to_string(job.status)},
      {"total", job.total},
      {"done", job.done},
      {"failed", job.failed},
      {"bytes_in", job.bytes_in},
      {"bytes_out", job.bytes_out},
      {"options", to_json(job.options)},
      {"created_at", iso8601(job.created_at)},
      {"started_at", time_or_null(job.started_at)},
      {"finished_at", time_or_null(job.finished_at)},
      {"expires_at", time_or_null(job.expires_at)},
      // Whether "convert again" can still work: the uploaded files are there (an expired job
      // keeps them for keep_sources; a finished one has them).
      {"sources_kept", job.status == JobStatus::expired ? job.sources_kept : true},
      {"duration_ms", job.started_at && job.finished_at
                          ? nlohmann::json(*job.finished_at - *job.started_at)
                          : nlohmann::json()},
  };
  if (images) {
    nlohmann::json list = nlohmann::json::array();
    for (const ImageRecord& i : *images) list.push_back(image_json(i, language));
    out["images"] = std::move(list);
  }
  return out;
}

nlohmann::json notification_json(const Notification& n, Language language) {
  auto params =
      n.params.empty() ? nlohmann::json::object() : nlohmann::json::parse(n.params, nullptr, false);
  if (!params.is_object()) params = nlohmann::json::object();
  return {{"id", n.id},
          {"type", n.type},
          {"job_id", n.job_id.empty() ? nlohmann::json() : nlohmann::json(n.job_id)},
          {"message", notice_text(n, language)},
          {"params", std::move(params)},
          {"read", n.read},
          {"created_at", iso8601(n.created_at)}};
}

nlohmann::json progress_json(const Job& job, const ImageRecord& image, UnixMillis published_at) {
  nlohmann::json out = {{"job_id", job.id},
                        {"done", job.done},
                        {"failed", job.failed},
                        {"total", job.total},
                        {"status", to_string(job.status)},
                        {"image", image_json(image)}};
  if (published_at > 0) out["published_at"] = iso8601(published_at);
  return out;
}

nlohmann::json webhook_json(const Webhook& webhook) {
  nlohmann::json j{{"id", webhook.id},
                   {"type", to_string(webhook.type)},
                   {"url", webhook.url},
                   {"events", webhook.events},
                   {"enabled", webhook.enabled},
                   {"disabled_reason", webhook.disabled_reason},
                   {"consecutive_failures", webhook.consecutive_failures},
                   {"signed", !webhook.secret.empty()},
                   {"created_at", iso8601(webhook.created_at)}};
  j["previous_secret_until"] =
      webhook.previous_until ? nlohmann::json(iso8601(*webhook.previous_until)) : nullptr;
  return j;
}

nlohmann::json delivery_json(const WebhookDelivery& delivery,
                             const std::vector<DeliveryAttempt>& attempts) {
  nlohmann::json log = nlohmann::json::array();
  for (const auto& a : attempts) {
    log.push_back({{"attempt", a.attempt},
                   {"at", iso8601(a.at)},
                   {"status_code", a.status_code},
                   {"latency_ms", a.latency_ms},
                   {"error", a.error},
                   {"next_retry_at", a.next_retry_at ? nlohmann::json(iso8601(*a.next_retry_at))
                                                     : nlohmann::json(nullptr)}});
  }
  return {
      {"id", delivery.id},
      {"webhook_id", delivery.webhook_id},
      {"event", delivery.event},
      // The job the event is about (null for deliveries older than this field).
      {"job_id", delivery.job_id.empty() ? nlohmann::json() : nlohmann::json(delivery.job_id)},
      {"job_name", delivery.job_id.empty() ? nlohmann::json() : nlohmann::json(delivery.job_name)},
      {"status", to_string(delivery.status)},
      {"attempts", delivery.attempts},
      {"created_at", iso8601(delivery.created_at)},
      {"next_attempt_at", delivery.status == DeliveryStatus::pending && delivery.next_attempt_at
                              ? nlohmann::json(iso8601(*delivery.next_attempt_at))
                              : nlohmann::json(nullptr)},
      {"attempts_log", std::move(log)}};
}

}  // namespace imagesprint
