#pragma once
// Method + path pattern -> handler. Patterns are literal segments and whole-segment parameters:
//   router.get("/v1/jobs/{id}/images/{n}", handler);
// An unknown path is 404; a known path with another method is 405 with an Allow header. When
// two patterns match, the one with a literal segment where the other has a parameter wins
// ("/v1/jobs/export" before "/v1/jobs/{id}"). HEAD is answered by the GET route without a body.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/http/http_types.hpp"
#include "adapters/http/request.hpp"
#include "adapters/http/response.hpp"

namespace imagesprint::http {

/// A handler is a coroutine: it may co_await the body reader, blocking work, timers.
using Handler = std::function<net::awaitable<Response>(Request&)>;

enum class BodyMode {
  buffered,   // the whole body is read (up to the limit) before the handler runs: Request::body()
  streaming,  // the handler gets the headers at once and pulls the body: Request::body_reader()
};

/// Runs once a request is routed, before a single body byte is read or "100 Continue" is sent:
/// it refuses by throwing HttpError (401, 403, 429 ...), so a client that may not send a body
/// costs neither an upload nor a buffer. It may sign the request in (Request::set_principal) and
/// hold permits for the request's lifetime (Request::hold).
using Admission = std::function<void(Request&)>;

struct RouteOptions {
  BodyMode body = BodyMode::buffered;
  /// Largest accepted body in bytes (413 beyond); nullopt = ServerConfig::max_body_bytes.
  std::optional<std::uint64_t> max_body_bytes;
  /// Checked before the body is read; empty: the router's default admission, if any.
  Admission admit;
  /// A public route (health, sign-in, signed links): the default admission does not apply.
  bool anonymous = false;
  /// The query parameters the route reads, each at most once: any other name, or one given twice,
  /// is a 400 naming it (check_query_names), after the admission and before the body.
  std::vector<std::string> query;
  /// Header fields every answer of the route carries unless its handler set them itself, the
  /// server's own answers included (a 401 before the handler, a 413, a 503): tus wants
  /// Tus-Resumable on every response of its routes.
  std::vector<std::pair<std::string, std::string>> headers;
};

/// A registered route as the outside sees it (the OpenAPI coverage test lists these).
struct RouteInfo {
  Verb method = Verb::get;
  std::string pattern;
  BodyMode body = BodyMode::buffered;
  std::vector<std::string> query;  // the query parameters it takes
};

class Router {
 public:
  struct Route {
    Verb method = Verb::get;
    std::string pattern;
    Handler handler;
    RouteOptions options;
    std::vector<std::string> segments;  // "{id}" marks a parameter
  };

  struct Match {
    enum class Kind { found, not_found, method_not_allowed, bad_path };
    Kind kind = Kind::not_found;
    const Route* route = nullptr;  // when found
    PathParams params;             // when found
    std::string allow;             // when method_not_allowed: "GET, HEAD, DELETE"
  };

  /// Registers a route; throws std::invalid_argument for a malformed pattern ("no leading /",
  /// "{" inside a segment, a repeated parameter name) or a duplicate method + pattern.
  Router& add(Verb method, std::string pattern, Handler handler, RouteOptions options = {});
  Router& get(std::string pattern, Handler handler, RouteOptions options = {});
  Router& post(std::string pattern, Handler handler, RouteOptions options = {});
  Router& put(std::string pattern, Handler handler, RouteOptions options = {});
  Router& patch(std::string pattern, Handler handler, RouteOptions options = {});
  Router& del(std::string pattern, Handler handler, RouteOptions options = {});
  /// The handler of GET/HEAD requests whose path no route knows (a single-page web app's files
  /// and its client-side routes); without one they are 404. Not listed by routes().
  Router& fallback(Handler handler);
  /// The admission of every route added from now on that has none of its own and is not
  /// `anonymous`: secure by default (the API signs every request in unless a route opts out).
  Router& admit_by_default(Admission admit);

  /// Finds the route for `method` and a raw (still percent-encoded) path. bad_path when a
  /// segment has a malformed escape.
  Match match(Verb method, std::string_view raw_path) const;

  /// Every registered route, in registration order.
  std::vector<RouteInfo> routes() const;

 private:
  std::vector<Route> routes_;
  std::optional<Route> fallback_;
  Admission default_admit_;
};

}  // namespace imagesprint::http
