#pragma once
// Registers the whole REST API on a router. One function per resource family, each in its own
// file; this header is the list.
#include "adapters/http/api/api_context.hpp"
#include "adapters/http/router.hpp"

namespace imagesprint::api {

void add_system_routes(http::Router& router, ApiContext& ctx);  // healthz, readyz, metrics, openapi
void add_account_routes(http::Router& router, ApiContext& ctx);       // auth, me, api-keys
void add_job_routes(http::Router& router, ApiContext& ctx);           // jobs, archive, images
void add_event_routes(http::Router& router, ApiContext& ctx);         // SSE streams
void add_notification_routes(http::Router& router, ApiContext& ctx);  // notifications
void add_preview_routes(http::Router& router, ApiContext& ctx);       // live preview
void add_webhook_routes(http::Router& router, ApiContext& ctx);       // webhooks, deliveries

inline void add_api_routes(http::Router& router, ApiContext& ctx) {
  add_system_routes(router, ctx);
  add_account_routes(router, ctx);
  add_job_routes(router, ctx);
  add_event_routes(router, ctx);
  add_notification_routes(router, ctx);
  add_preview_routes(router, ctx);
  add_webhook_routes(router, ctx);
}

/// The signed-in user of a request (Bearer token or API key, or the session cookie); throws
/// HttpError 401 when there is none.
std::int64_t require_user(const http::Request& request, ApiContext& ctx);

/// A page size from ?limit= (1-100, default 20); HttpError 400 naming "limit" otherwise.
int page_limit(const http::Request& request);

}  // namespace imagesprint::api
