// Presets: a user's named conversion options: create, list, read, change (PUT replaces both
// fields, PATCH either), delete. A job names one in its `preset` part (job_routes.cpp).
#include <nlohmann/json.hpp>

#include "adapters/http/api/routes.hpp"
#include "adapters/http/http_error.hpp"
#include "domain/manifest.hpp"

namespace imagesprint::api {

using http::HttpError;
using http::Request;
using http::Response;
using http::Status;

namespace {

Presets& presets_of(ApiContext& ctx) {
  if (!ctx.presets) {
    throw HttpError(Status::service_unavailable, "unavailable", "presets are not set up here");
  }
  return *ctx.presets;
}

/// {name, options} of a request body; `both` (create, PUT) requires each.
PresetInput preset_input(const Request& request, bool both) {
  const auto body = json_fields(request, {"name", "options"});
  PresetInput input;
  if (const auto name = body.find("name"); name != body.end()) {
    if (!name->is_string()) {
      throw HttpError(Status::bad_request, "invalid_request", "name: expected a string", "name");
    }
    input.name = name->get<std::string>();
  }
  if (const auto options = body.find("options"); options != body.end()) input.options = *options;
  if (both && !input.name) {
    throw HttpError(Status::bad_request, "invalid_request", "name: expected the preset's name",
                    "name");
  }
  if (both && !input.options) {
    throw HttpError(Status::bad_request, "invalid_request",
                    "options: expected a JSON object of options", "options");
  }
  return input;
}

std::int64_t preset_id(const Request& request) {
  return id_param(request, "preset");
}

nlohmann::json preset_json(const Preset& preset) {
  return {{"id", preset.id},
          {"name", preset.name},
          {"options", nlohmann::json::parse(preset.options)},
          {"created_at", iso8601(preset.created_at)},
          {"updated_at", iso8601(preset.updated_at)}};
}

http::net::awaitable<Response> update_preset(ApiContext& ctx, Request& request, bool replace) {
  const std::int64_t user = require_user(request, ctx);
  const std::int64_t id = preset_id(request);
  const PresetInput input = preset_input(request, replace);
  auto updated =
      co_await request.run_blocking([&] { return presets_of(ctx).update(user, id, input); });
  if (!updated) co_return Response::error(updated.error());
  co_return Response::json(Status::ok, preset_json(*updated));
}

}  // namespace

void add_preset_routes(http::Router& router, ApiContext& ctx) {
  router.post("/v1/presets", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    const PresetInput input = preset_input(request, true);
    auto created =
        co_await request.run_blocking([&] { return presets_of(ctx).create(user, input); });
    if (!created) co_return Response::error(created.error());
    Response response = Response::json(Status::created, preset_json(*created));
    response.set(http::Field::location,
                 absolute_url(request, ctx, "/v1/presets/" + std::to_string(created->id)));
    co_return response;
  });

  router.get("/v1/presets", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    auto list = co_await request.run_blocking([&] { return presets_of(ctx).list(user); });
    nlohmann::json items = nlohmann::json::array();
    for (const auto& p : list) items.push_back(preset_json(p));
    co_return Response::json(
        Status::ok,
        {{"items", std::move(items)}, {"max_presets", presets_of(ctx).settings().max_per_user}});
  });

  router.get("/v1/presets/{id}", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    const std::int64_t id = preset_id(request);
    auto found = co_await request.run_blocking([&] { return presets_of(ctx).find(user, id); });
    if (!found) co_return Response::error(Status::not_found, "not_found", "no such preset");
    co_return Response::json(Status::ok, preset_json(*found));
  });

  // PUT replaces the preset (both fields), PATCH changes the fields given.
  router.put("/v1/presets/{id}",
             [&ctx](Request& request) { return update_preset(ctx, request, true); });
  router.patch("/v1/presets/{id}",
               [&ctx](Request& request) { return update_preset(ctx, request, false); });

  router.del("/v1/presets/{id}", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    const std::int64_t id = preset_id(request);
    const bool removed =
        co_await request.run_blocking([&] { return presets_of(ctx).remove(user, id); });
    if (!removed) co_return Response::error(Status::not_found, "not_found", "no such preset");
    co_return Response::empty();
  });
}

}  // namespace imagesprint::api
