// Notifications: list (cursor, unread filter), mark one read, mark all read.
#include <nlohmann/json.hpp>

#include "adapters/http/api/routes.hpp"
#include "adapters/http/http_error.hpp"
#include "app/json_views.hpp"

namespace imagesprint::api {

using http::HttpError;
using http::Request;
using http::Response;
using http::Status;

void add_notification_routes(http::Router& router, ApiContext& ctx) {
  router.get(
      "/v1/notifications",
      [&ctx](Request& request) -> http::net::awaitable<Response> {
        const std::int64_t user = require_user(request, ctx);
        const auto unread = request.query().get("unread").value_or("false");
        if (unread != "true" && unread != "false" && unread != "1" && unread != "0") {
          throw HttpError(Status::bad_request, "invalid_request", "unread: expected true or false",
                          "unread");
        }
        const bool unread_only = unread == "true" || unread == "1";
        const std::string cursor(request.query().get("cursor").value_or(""));
        const int limit = page_limit(request);
        const auto [page, count] = co_await read_page(request, [&] {
          return std::pair{ctx.notifications.list(user, unread_only, cursor, limit),
                           ctx.notifications.unread_count(user)};
        });
        nlohmann::json items = nlohmann::json::array();
        const Language language = request_language(request);
        for (const Notification& n : page.items) items.push_back(notification_json(n, language));
        co_return Response::json(
            Status::ok,
            {{"items", items},
             {"next_cursor",
              page.next_cursor.empty() ? nlohmann::json() : nlohmann::json(page.next_cursor)},
             {"unread", count}});
      },
      http::RouteOptions{.query = {"unread", "cursor", "limit"}});
  router.post(
      "/v1/notifications/{id}/read", [&ctx](Request& request) -> http::net::awaitable<Response> {
        const std::int64_t user = require_user(request, ctx);
        const std::int64_t id = id_param(request, "notification");
        const bool marked =
            co_await request.run_blocking([&] { return ctx.notifications.mark_read(user, id); });
        if (!marked)
          co_return Response::error(Status::not_found, "not_found", "no such notification");
        co_return Response::empty();
      });
  router.post(
      "/v1/notifications/read-all", [&ctx](Request& request) -> http::net::awaitable<Response> {
        const std::int64_t user = require_user(request, ctx);
        const int marked =
            co_await request.run_blocking([&] { return ctx.notifications.mark_all_read(user); });
        co_return Response::json(Status::ok, {{"marked", marked}});
      });
}

}  // namespace imagesprint::api
