// Accounts: sign up, log in (session cookie + bearer token), log out, me, API keys.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>

#include "adapters/http/api/routes.hpp"
#include "adapters/http/http_error.hpp"
#include "app/json_views.hpp"
#include "domain/manifest.hpp"
#include "domain/untrusted_text.hpp"
#include "domain/whole_number.hpp"

namespace imagesprint::api {

using http::HttpError;
using http::Request;
using http::Response;
using http::Status;

namespace {

std::string string_field(const nlohmann::json& body, const char* name) {
  if (!body.is_object() || !body.contains(name) || !body[name].is_string()) {
    throw HttpError(Status::bad_request, "invalid_request",
                    std::string(name) + ": expected a string", name);
  }
  return body[name].get<std::string>();
}

/// The credential a request carries: "Authorization: Bearer x", else the session cookie.
std::string credential(const Request& request) {
  const std::string_view auth = request.header(http::Field::authorization);
  if (auth.size() > 7 && (auth.starts_with("Bearer ") || auth.starts_with("bearer "))) {
    return std::string(auth.substr(7));
  }
  const std::string_view cookies = request.header(http::Field::cookie);
  const std::string key = std::string(SESSION_COOKIE) + "=";
  for (std::size_t at = 0; at < cookies.size();) {
    std::size_t end = cookies.find(';', at);
    if (end == std::string_view::npos) end = cookies.size();
    std::string_view pair = cookies.substr(at, end - at);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.starts_with(key)) return std::string(pair.substr(key.size()));
    at = end + 1;
  }
  return "";
}

Response session_response(Status status, const Session& session, const ApiContext& ctx,
                          UnixMillis now) {
  Response response = Response::json(status, {{"token", session.token},
                                              {"user", user_json(session.user)},
                                              {"expires_at", iso8601(session.expires_at)}});
  const long max_age = static_cast<long>((session.expires_at - now) / 1000);
  response.insert("Set-Cookie", std::string(SESSION_COOKIE) + "=" + session.token +
                                    "; Path=/; Max-Age=" + std::to_string(max_age) +
                                    "; HttpOnly; SameSite=Lax" +
                                    (ctx.secure_cookies ? "; Secure" : ""));
  return response;
}

/// A JSON body of an email and a password is far smaller than this.
constexpr std::uint64_t AUTH_BODY_BYTES = 16 * 1024;

/// A place among the password hashes in flight; 503 with Retry-After when there is none.
std::shared_ptr<void> password_permit(ApiContext& ctx) {
  auto permit = ctx.guards->password_work.try_acquire(0);
  if (!permit) {
    throw HttpError(Status::service_unavailable, "busy",
                    "too many sign-ins at once; retry in a moment")
        .with_retry_after(1);
  }
  return permit;
}

}  // namespace

namespace {

bool is_safe_method(http::Verb method) {
  return method == http::Verb::get || method == http::Verb::head || method == http::Verb::options;
}

/// CSRF: a change made with the session cookie must come from one of our own pages. Browsers
/// send Origin (and Sec-Fetch-Site) with every such request; a client that sends neither is no
/// browser, and cannot be carrying somebody's cookie without knowing it. Bearer tokens and API
/// keys are never sent by a browser on its own, so they are not checked.
void check_same_origin(const Request& request, const ApiContext& ctx) {
  if (is_safe_method(request.method())) return;
  const std::string_view origin = request.header(http::Field::origin);
  if (!origin.empty()) {
    const std::string host(request.header(http::Field::host));
    const bool own = !host.empty() && (origin == "http://" + host || origin == "https://" + host);
    const bool trusted = std::find(ctx.trusted_origins.begin(), ctx.trusted_origins.end(),
                                   origin) != ctx.trusted_origins.end();
    if (own || trusted) return;
  } else {
    const std::string_view site = request.header("Sec-Fetch-Site");
    if (site.empty() || site == "same-origin" || site == "none") return;
  }
  throw HttpError(Status::forbidden, "cross_origin",
                  "a change signed in by cookie must come from this site's own pages", "Origin");
}

bool bearer(const Request& request) {
  const std::string_view auth = request.header(http::Field::authorization);
  return auth.size() > 7 && (auth.starts_with("Bearer ") || auth.starts_with("bearer "));
}

}  // namespace

void sign_in(Request& request, ApiContext& ctx) {
  const std::string token = credential(request);
  const auto user = token.empty() ? std::nullopt : ctx.accounts.authenticate(token);
  if (!user) {
    throw HttpError(Status::unauthorized, "unauthorized",
                    "sign in, or send Authorization: Bearer <token or API key>");
  }
  if (!bearer(request)) check_same_origin(request, ctx);
  request.set_principal(*user);
}

std::int64_t require_user(const Request& request, ApiContext&) {
  // Every route that is not anonymous signed the request in at admission, before its body.
  if (const auto user = request.principal()) return *user;
  throw HttpError(Status::unauthorized, "unauthorized",
                  "sign in, or send Authorization: Bearer <token or API key>");
}

std::string absolute_url(const Request& request, const ApiContext& ctx, const std::string& path) {
  if (!ctx.public_url.empty()) {
    std::string base = ctx.public_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + path;
  }
  const std::string host(request.header(http::Field::host));
  if (host.empty()) return path;
  return (ctx.secure_cookies ? "https://" : "http://") + host + path;
}

nlohmann::json json_fields(const Request& request, std::initializer_list<std::string_view> fields) {
  nlohmann::json body = request.json_body();
  if (!body.is_object()) {
    throw HttpError(Status::bad_request, "invalid_request", "expected a JSON object");
  }
  for (const auto& item : body.items()) {
    if (std::find(fields.begin(), fields.end(), item.key()) != fields.end()) continue;
    if (item.key().empty()) {  // {"": 1}: there is no name to quote
      throw HttpError(Status::bad_request, "invalid_request",
                      "the body has a field without a name (\"\")")
          .with_message("error.invalid_request.nameless_field", nlohmann::json::object());
    }
    std::string known;
    for (const std::string_view field : fields)
      known += (known.empty() ? "" : ", ") + std::string(field);
    const std::string name = cut_code_points(item.key(), 64);
    const nlohmann::json params{{"name", name}, {"expected", known}};
    throw HttpError(Status::bad_request, "invalid_request",
                    name + ": unknown field (expected " + known + ")", name)
        .with_message("error.invalid_request.unknown_field", params);
  }
  return body;
}

int page_limit(const Request& request) {
  const auto value = request.query().get("limit");
  if (!value) return 20;
  if (const auto n = whole_number(*value, 1, 100)) return *n;
  throw HttpError(Status::bad_request, "invalid_request",
                  "limit: expected an integer from 1 to 100", "limit");
}

std::int64_t id_param(const Request& request, const std::string& thing) {
  // "+7", " 7", "7x" or "07" name no resource, so they are not 7: one resource, one URL.
  const std::string_view text = request.param("id");
  const auto id = whole_number<std::int64_t>(text, 1, INT64_MAX);
  if (id && std::to_string(*id) == text) return *id;
  throw HttpError(Status::not_found, "not_found", "no such " + thing);
}

void add_account_routes(http::Router& router, ApiContext& ctx) {
  // Sign-up and log-in hash a password (argon2id: 64 MiB, tens of ms): on the guards' own small
  // pool, at most password_queue in flight, so a flood of them answers 503 instead of queueing
  // everyone's database calls behind it.
  const http::RouteOptions open_small{http::BodyMode::buffered, AUTH_BODY_BYTES, {}, true};
  router.post(
      "/v1/auth/signup",
      [&ctx](Request& request) -> http::net::awaitable<Response> {
        const nlohmann::json body = json_fields(request, {"email", "password"});
        const std::string email = string_field(body, "email"),
                          password = string_field(body, "password");
        if (!ctx.guards->signups->allow(request.client_address())) {
          throw HttpError(Status::too_many_requests, "rate_limited",
                          "too many accounts created from this address; try again later")
              .with_retry_after(600);
        }
        const auto permit = password_permit(ctx);
        auto session = co_await ctx.guards->password_pool.run(
            [&] { return ctx.accounts.signup(email, password); });
        if (!session) co_return Response::error(session.error());
        co_return session_response(Status::created, session.value(), ctx, ctx.now());
      },
      open_small);
  router.post(
      "/v1/auth/login",
      [&ctx](Request& request) -> http::net::awaitable<Response> {
        const nlohmann::json body = json_fields(request, {"email", "password"});
        const std::string email = string_field(body, "email"),
                          password = string_field(body, "password");
        const std::string client = request.client_address();
        const auto permit = password_permit(ctx);
        auto session = co_await ctx.guards->password_pool.run(
            [&] { return ctx.accounts.login(email, password, client); });
        if (!session) co_return Response::error(session.error());
        co_return session_response(Status::ok, session.value(), ctx, ctx.now());
      },
      open_small);
  router.post("/v1/auth/logout", [&ctx](Request& request) -> http::net::awaitable<Response> {
    require_user(request, ctx);
    const std::string token = credential(request);
    co_await request.run_blocking([&] { ctx.accounts.logout(token); });
    Response response = Response::empty();
    response.insert("Set-Cookie",
                    std::string(SESSION_COOKIE) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    co_return response;
  });
  router.get("/v1/me", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user_id = require_user(request, ctx);
    const auto user = co_await request.run_blocking([&] { return ctx.accounts.user(user_id); });
    if (!user)
      co_return Response::error(Status::unauthorized, "unauthorized",
                                "the account no longer exists");
    co_return Response::json(Status::ok, user_json(*user));
  });
  router.get("/v1/api-keys", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    const auto keys = co_await request.run_blocking([&] { return ctx.accounts.api_keys(user); });
    nlohmann::json items = nlohmann::json::array();
    for (const ApiKey& k : keys) items.push_back(api_key_json(k));
    co_return Response::json(Status::ok, {{"items", items}});
  });
  router.post("/v1/api-keys", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    const std::string name = string_field(json_fields(request, {"name"}), "name");
    auto key =
        co_await request.run_blocking([&] { return ctx.accounts.create_api_key(user, name); });
    if (!key) co_return Response::error(key.error());
    nlohmann::json out = api_key_json(key->key);
    out["key"] = key->secret;
    co_return Response::json(Status::created, out);
  });
  router.del("/v1/api-keys/{id}", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    const std::int64_t id = id_param(request, "API key");
    const bool deleted =
        co_await request.run_blocking([&] { return ctx.accounts.delete_api_key(user, id); });
    if (!deleted) co_return Response::error(Status::not_found, "not_found", "no such API key");
    co_return Response::empty();
  });
}

}  // namespace imagesprint::api
