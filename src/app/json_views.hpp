#pragma once
// The JSON shapes of the API, the SSE events and the webhooks, in one place so
// every endpoint describes a job, an image or a notification the same way.
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/job.hpp"
#include "domain/messages.hpp"
#include "domain/webhook.hpp"
#include "ports/account_store.hpp"
#include "ports/notification_store.hpp"

namespace imagesprint {

nlohmann::json user_json(const User& user);
nlohmann::json api_key_json(const ApiKey& key);
/// A failed image's `error` has the reason in `language` as `message` and the stored technical
/// text as `detail`. Events and webhooks use English; the HTTP routes the request's language.
nlohmann::json image_json(const ImageRecord& image, Language language = Language::en);
/// With `images` when given (GET /v1/jobs/{id}); without for lists and events.
nlohmann::json job_json(const Job& job, const std::vector<ImageRecord>* images = nullptr,
                        Language language = Language::en);
/// The message in `language` from the notification's type and parameters (`params`, also sent).
nlohmann::json notification_json(const Notification& notification,
                                 Language language = Language::en);
/// The SSE "progress" event: {job_id, done, failed, total, image: {...}}.
/// `published_at` (ms, 0: left out): when the worker published the event, after its commit; a
/// client can tell how long the event took to reach it (bench/sse_latency.py).
nlohmann::json progress_json(const Job& job, const ImageRecord& image, UnixMillis published_at = 0);
/// A webhook as its owner sees it: never its secret (shown once, by the route that makes it).
nlohmann::json webhook_json(const Webhook& webhook);
/// A delivery with its attempts, for GET /v1/webhooks/{id}/deliveries.
nlohmann::json delivery_json(const WebhookDelivery& delivery,
                             const std::vector<DeliveryAttempt>& attempts);

}  // namespace imagesprint
