#pragma once
// Registers the whole REST API on a router. One function per resource family, each in its own
// file; this header is the list.
#include "adapters/http/accept_language.hpp"
#include "adapters/http/api/api_context.hpp"
#include "adapters/http/http_error.hpp"
#include "adapters/http/router.hpp"
#include "ports/page_cursor.hpp"

#include <initializer_list>
#include <memory>
#include <string_view>
#include <type_traits>
#include <utility>

namespace imagesprint::api {

void add_system_routes(http::Router& router, ApiContext& ctx);  // healthz, readyz, metrics, openapi
void add_account_routes(http::Router& router, ApiContext& ctx);       // auth, me, api-keys
void add_job_routes(http::Router& router, ApiContext& ctx);           // jobs, archive, images
void add_event_routes(http::Router& router, ApiContext& ctx);         // SSE streams
void add_notification_routes(http::Router& router, ApiContext& ctx);  // notifications
void add_preview_routes(http::Router& router, ApiContext& ctx);       // live preview
void add_webhook_routes(http::Router& router, ApiContext& ctx);       // webhooks, deliveries
void add_preset_routes(http::Router& router, ApiContext& ctx);        // presets
void add_upload_routes(http::Router& router, ApiContext& ctx);        // resumable uploads (tus)

/// POST /v1/jobs with a JSON body: a job made of finished resumable uploads (upload_routes.cpp).
http::net::awaitable<http::Response> create_job_from_uploads(ApiContext& ctx,
                                                             http::Request& request,
                                                             std::int64_t user);
void add_limits_routes(http::Router& router, ApiContext& ctx);  // limits and usage

/// The admission of every API route that is not public: the request must be signed in, and a
/// change made with the session cookie must come from our own origin (CSRF).
void sign_in(http::Request& request, ApiContext& ctx);

inline void add_api_routes(http::Router& router, ApiContext& ctx) {
  if (!ctx.guards) ctx.guards = std::make_shared<ApiGuards>(ctx.limits);
  // Secure by default: a route is signed-in unless it says `anonymous`.
  router.admit_by_default([&ctx](http::Request& request) { sign_in(request, ctx); });
  add_system_routes(router, ctx);
  add_account_routes(router, ctx);
  add_job_routes(router, ctx);
  add_event_routes(router, ctx);
  add_notification_routes(router, ctx);
  add_preview_routes(router, ctx);
  add_webhook_routes(router, ctx);
  add_preset_routes(router, ctx);
  add_upload_routes(router, ctx);
  add_limits_routes(router, ctx);
}

/// The user the route's admission signed in (sign_in: Bearer token or API key, or the session
/// cookie); throws HttpError 401 when there is none (an anonymous route).
std::int64_t require_user(const http::Request& request, ApiContext& ctx);

/// `path` as an absolute URL (Location headers): on the public URL when set, else on the
/// request's own Host.
std::string absolute_url(const http::Request& request, const ApiContext& ctx,
                         const std::string& path);

/// The language of the answer's texts, from the request's Accept-Language (English by default).
inline Language request_language(const http::Request& request) {
  return http::pick_language(request.header(http::Field::accept_language));
}

/// The JSON body (Request::json_body) as an object of these fields only: anything else is an
/// HttpError 400, naming the first unknown field and the known ones, as the OpenAPI schemas'
/// additionalProperties: false say. A misspelt optional field ("evnets") would otherwise be
/// dropped without a word.
nlohmann::json json_fields(const http::Request& request,
                           std::initializer_list<std::string_view> fields);

/// A page size from ?limit= (1-100, default 20); HttpError 400 naming "limit" otherwise.
int page_limit(const http::Request& request);

/// The store's page read on the blocking pool by `list`; a ?cursor= that no page gave (the
/// store's InvalidCursor) answers HttpError 400 naming "cursor".
template <typename F>
http::net::awaitable<std::invoke_result_t<F&>> read_page(const http::Request& request, F list) {
  try {
    co_return co_await request.run_blocking(std::move(list));
  } catch (const InvalidCursor& e) {
    throw http::HttpError(http::Status::bad_request, "invalid_request", e.what(), "cursor");
  }
}

/// The positive integer id in the path parameter "id"; anything else names no such `thing`
/// (HttpError 404 "no such <thing>").
std::int64_t id_param(const http::Request& request, const std::string& thing);

}  // namespace imagesprint::api
