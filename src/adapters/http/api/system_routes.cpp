// GET /healthz, /readyz, /metrics, /openapi.json: no authentication.
#include "adapters/http/api/routes.hpp"

namespace imagesprint::api {

using http::Request;
using http::Response;
using http::Status;

void add_system_routes(http::Router& router, ApiContext& ctx) {
  router.get("/healthz", [](Request&) -> http::net::awaitable<Response> {
    co_return Response::json(Status::ok, {{"status", "ok"}});
  });
  router.get("/readyz", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const bool ready = co_await request.run_blocking([&ctx] { return !ctx.ready || ctx.ready(); });
    if (!ready)
      co_return Response::error(Status::service_unavailable, "unavailable",
                                "a store does not answer");
    co_return Response::json(Status::ok, {{"status", "ready"}});
  });
  router.get("/metrics", [&ctx](Request&) -> http::net::awaitable<Response> {
    co_return Response::text(Status::ok, ctx.metrics.render(),
                             "text/plain; version=0.0.4; charset=utf-8");
  });
  router.get("/openapi.json", [&ctx](Request&) -> http::net::awaitable<Response> {
    co_return Response::text(Status::ok, ctx.openapi_json, "application/json");
  });
}

}  // namespace imagesprint::api
