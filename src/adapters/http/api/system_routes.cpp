// GET /healthz, /readyz, /metrics, /openapi.json: no authentication.
#include "adapters/http/api/routes.hpp"

namespace imagesprint::api {

using http::Request;
using http::Response;
using http::Status;

namespace {

/// /metrics tells how busy the service is and which routes fail: with a token set, only its
/// bearer reads it (compared in constant time); without one, only clients on this machine (the
/// client, not a proxy on this machine that forwards others).
bool may_read_metrics(const Request& request, const ApiContext& ctx) {
  if (ctx.metrics_token.empty()) {
    boost::system::error_code ec;
    const auto client = boost::asio::ip::make_address(request.client_address(), ec);
    return !ec && client.is_loopback();
  }
  const std::string_view auth = request.header(http::Field::authorization);
  if (!auth.starts_with("Bearer ")) return false;
  return ctx.secrets.equal(std::string(auth.substr(7)), ctx.metrics_token);
}

}  // namespace

void add_system_routes(http::Router& router, ApiContext& ctx) {
  http::RouteOptions open;
  open.anonymous = true;
  router.get(
      "/healthz",
      [](Request&) -> http::net::awaitable<Response> {
        co_return Response::json(Status::ok, {{"status", "ok"}});
      },
      open);
  router.get(
      "/readyz",
      [&ctx](Request& request) -> http::net::awaitable<Response> {
        const bool ready =
            co_await request.run_blocking([&ctx] { return !ctx.ready || ctx.ready(); });
        if (!ready)
          co_return Response::error(Status::service_unavailable, "unavailable",
                                    "a store does not answer");
        co_return Response::json(Status::ok, {{"status", "ready"}});
      },
      open);
  router.get(
      "/metrics",
      [&ctx](Request& request) -> http::net::awaitable<Response> {
        if (!may_read_metrics(request, ctx)) {
          co_return Response::error(Status::forbidden, "forbidden",
                                    "metrics need the metrics token (Authorization: Bearer)");
        }
        co_return Response::text(Status::ok, ctx.metrics.render(),
                                 "text/plain; version=0.0.4; charset=utf-8");
      },
      open);
  router.get(
      "/openapi.json",
      [&ctx](Request&) -> http::net::awaitable<Response> {
        co_return Response::text(Status::ok, ctx.openapi_json, "application/json");
      },
      open);
}

}  // namespace imagesprint::api
