// Webhooks: register, list, read, change (enable/disable, events, rotate the secret), delete,
// send a test message, the log of deliveries with each attempt, and sending one again.
#include <nlohmann/json.hpp>

#include "adapters/http/api/routes.hpp"
#include "adapters/http/http_error.hpp"
#include "app/json_views.hpp"

namespace imagesprint::api {

using http::HttpError;
using http::Request;
using http::Response;
using http::Status;

namespace {

Webhooks& webhooks_of(ApiContext& ctx) {
  if (!ctx.webhooks) {
    throw HttpError(Status::service_unavailable, "unavailable", "webhooks are not set up here");
  }
  return *ctx.webhooks;
}

std::optional<std::string> optional_string(const nlohmann::json& body, const char* name) {
  if (!body.contains(name) || body[name].is_null()) return std::nullopt;
  if (!body[name].is_string()) {
    throw HttpError(Status::bad_request, "invalid_request",
                    std::string(name) + ": expected a string", name);
  }
  return body[name].get<std::string>();
}

std::optional<std::vector<std::string>> optional_events(const nlohmann::json& body) {
  if (!body.contains("events") || body["events"].is_null()) return std::nullopt;
  const auto& events = body["events"];
  bool ok = events.is_array();
  for (const auto& e : events) ok = ok && e.is_string();
  if (!ok) {
    throw HttpError(Status::bad_request, "invalid_request",
                    "events: expected a list of event names", "events");
  }
  return events.get<std::vector<std::string>>();
}

WebhookInput webhook_input(const Request& request) {
  const auto body = json_fields(request, {"type", "url", "events", "secret"});
  WebhookInput input;
  input.type = optional_string(body, "type").value_or("");
  input.url = optional_string(body, "url").value_or("");
  if (input.type.empty()) {
    throw HttpError(Status::bad_request, "invalid_request",
                    "type: expected slack, discord or generic", "type");
  }
  if (input.url.empty()) {
    throw HttpError(Status::bad_request, "invalid_request", "url: expected the receiver's URL",
                    "url");
  }
  input.events = optional_events(body);
  input.secret = optional_string(body, "secret");
  return input;
}

std::int64_t webhook_id(const Request& request) {
  return id_param(request, "webhook");
}

nlohmann::json with_secret(const WebhookWithSecret& result) {
  auto json = webhook_json(result.webhook);
  if (!result.shown_secret.empty()) json["secret"] = result.shown_secret;
  return json;
}

}  // namespace

void add_webhook_routes(http::Router& router, ApiContext& ctx) {
  router.post("/v1/webhooks", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    const WebhookInput input = webhook_input(request);
    // refuse_url resolves the host: blocking.
    auto created =
        co_await request.run_blocking([&] { return webhooks_of(ctx).create(user, input); });
    if (!created) co_return Response::error(created.error());
    Response response = Response::json(Status::created, with_secret(*created));
    response.set(http::Field::location,
                 absolute_url(request, ctx, "/v1/webhooks/" + std::to_string(created->webhook.id)));
    co_return response;
  });

  router.get("/v1/webhooks", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    auto list = co_await request.run_blocking([&] { return webhooks_of(ctx).list(user); });
    nlohmann::json items = nlohmann::json::array();
    for (const auto& w : list) items.push_back(webhook_json(w));
    co_return Response::json(Status::ok, {{"items", std::move(items)}});
  });

  router.post("/v1/webhooks/test", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    const WebhookInput input = webhook_input(request);
    auto result = co_await request.run_blocking([&] { return webhooks_of(ctx).test(user, input); });
    if (!result) co_return Response::error(result.error());
    nlohmann::json answer = {{"ok", result->ok},
                             {"status", result->status},
                             {"latency_ms", result->latency_ms},
                             {"error", result->error}};
    // A generic test without a secret was signed with this new one: register with it.
    if (!result->generated_secret.empty()) answer["secret"] = result->generated_secret;
    co_return Response::json(Status::ok, answer);
  });

  router.get("/v1/webhooks/{id}", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    const std::int64_t id = webhook_id(request);
    auto found = co_await request.run_blocking([&] { return webhooks_of(ctx).find(user, id); });
    if (!found) co_return Response::error(Status::not_found, "not_found", "no such webhook");
    co_return Response::json(Status::ok, webhook_json(*found));
  });

  router.patch("/v1/webhooks/{id}", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    const std::int64_t id = webhook_id(request);
    const auto body = request.json_body();
    if (!body.is_object()) {
      co_return Response::error(Status::bad_request, "invalid_request", "expected a JSON object");
    }
    WebhookPatch patch;
    for (const auto& [key, value] : body.items()) {
      if (key == "enabled") {
        if (!value.is_boolean()) {
          co_return Response::error(Status::bad_request, "invalid_request",
                                    "enabled: expected true or false", "enabled");
        }
        patch.enabled = value.get<bool>();
      } else if (key == "rotate_secret") {
        if (!value.is_boolean()) {
          co_return Response::error(Status::bad_request, "invalid_request",
                                    "rotate_secret: expected true or false", "rotate_secret");
        }
        patch.rotate_secret = value.get<bool>();
      } else if (key == "events") {
        patch.events = optional_events(body);
      } else {
        co_return Response::error(Status::bad_request, "invalid_request",
                                  key +
                                      ": not a field that can change (enabled, events, "
                                      "rotate_secret)",
                                  key);
      }
    }
    auto updated =
        co_await request.run_blocking([&] { return webhooks_of(ctx).update(user, id, patch); });
    if (!updated) co_return Response::error(updated.error());
    co_return Response::json(Status::ok, with_secret(*updated));
  });

  router.del("/v1/webhooks/{id}", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    const std::int64_t id = webhook_id(request);
    const bool removed =
        co_await request.run_blocking([&] { return webhooks_of(ctx).remove(user, id); });
    if (!removed) co_return Response::error(Status::not_found, "not_found", "no such webhook");
    co_return Response::empty();
  });

  router.get(
      "/v1/webhooks/{id}/deliveries",
      [&ctx](Request& request) -> http::net::awaitable<Response> {
        const std::int64_t user = require_user(request, ctx);
        const std::int64_t id = webhook_id(request);
        const int limit = page_limit(request);
        const std::string cursor(request.query().get("cursor").value_or(""));
        auto log = co_await read_page(
            request, [&] { return webhooks_of(ctx).deliveries(user, id, cursor, limit); });
        if (!log) co_return Response::error(Status::not_found, "not_found", "no such webhook");
        nlohmann::json items = nlohmann::json::array();
        for (const auto& [delivery, attempts] : log->items) {
          items.push_back(delivery_json(delivery, attempts));
        }
        co_return Response::json(
            Status::ok,
            {{"items", std::move(items)},
             {"next_cursor",
              log->next_cursor.empty() ? nlohmann::json() : nlohmann::json(log->next_cursor)}});
      },
      http::RouteOptions{.query = {"cursor", "limit"}});

  // Sends a delivery again (the owner's only; 404 otherwise): 202, sent by the dispatcher.
  router.post("/v1/webhooks/{id}/deliveries/{delivery}/redeliver",
              [&ctx](Request& request) -> http::net::awaitable<Response> {
                const std::int64_t user = require_user(request, ctx);
                const std::int64_t id = webhook_id(request);
                const std::string delivery(request.param("delivery"));
                auto requeued = co_await request.run_blocking(
                    [&] { return webhooks_of(ctx).redeliver(user, id, delivery); });
                if (!requeued) co_return Response::error(requeued.error());
                co_return Response::json(Status::accepted,
                                         delivery_json(requeued->first, requeued->second));
              });
}

}  // namespace imagesprint::api
