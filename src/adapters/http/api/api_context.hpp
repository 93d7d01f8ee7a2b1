#pragma once
// Everything the API handlers use: the use cases and the ports, wired by `serve`/`api`. The
// handlers are thin: they parse the request, call these, and shape the response.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/http/api/api_guards.hpp"
#include "adapters/http/api/upload_arrivals.hpp"
#include "app/accounts.hpp"
#include "app/job_upload.hpp"
#include "app/presets.hpp"
#include "app/resumable_uploads.hpp"
#include "app/webhooks.hpp"
#include "ports/event_bus.hpp"
#include "ports/job_store.hpp"
#include "ports/metrics_exposition.hpp"
#include "ports/notification_store.hpp"
#include "ports/object_store.hpp"
#include "ports/task_queue.hpp"

namespace imagesprint::api {

struct ApiContext {
  Accounts& accounts;
  JobStore& jobs;
  ObjectStore& objects;
  TaskQueue& queue;
  EventBus& events;
  NotificationStore& notifications;
  const Secrets& secrets;
  const MetricsExposition& metrics;
  UploadLimits upload_limits;
  Clock now;
  /// Readiness of the stores (GET /readyz).
  std::function<bool()> ready;
  /// Set-Cookie "Secure" attribute (on when served over https).
  bool secure_cookies = false;
  std::string openapi_json;  // the document served at /openapi.json
  /// The webhook use cases; nullptr where they are not wired (the routes answer 503).
  Webhooks* webhooks = nullptr;
  /// The preset use cases; nullptr where they are not wired (the routes answer 503, and a job's
  /// `preset` part is refused).
  Presets* presets = nullptr;
  /// Resumable (tus) uploads; nullptr where they are not wired (the routes answer 503).
  ResumableUploads* resumable_uploads = nullptr;
  /// Concurrency and rate limits of the API (see api_guards.hpp).
  ApiLimits limits;
  /// Made from `limits` by add_api_routes when not given.
  std::shared_ptr<ApiGuards> guards;
  /// Origins ("https://app.example.com") whose pages may make cookie-authenticated changes,
  /// besides the request's own Host. The public URL's origin belongs here.
  std::vector<std::string> trusted_origins;
  /// The service's public base URL ("https://images.example.com"); empty: from the Host header.
  std::string public_url;
  /// Downloads from a store whose links lead to itself (S3) answer 302 to such a link, valid for
  /// download_link_ttl; off: every download streams through the API.
  bool download_redirect = true;
  std::chrono::seconds download_link_ttl{300};
  /// Bearer token that /metrics requires; empty: /metrics answers loopback clients only.
  std::string metrics_token;
  /// Wakes the job requests awaiting uploads when an upload of this process takes bytes.
  std::shared_ptr<UploadArrivals> upload_arrivals = std::make_shared<UploadArrivals>();
};

/// The session cookie's name.
inline constexpr const char* SESSION_COOKIE = "imagesprint_session";

}  // namespace imagesprint::api
