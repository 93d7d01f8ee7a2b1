#include "adapters/http/router.hpp"

#include <algorithm>
#include <stdexcept>

#include "adapters/http/url.hpp"

namespace imagesprint::http {
namespace {

bool is_param(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

/// "/a/b/" -> {"a", "b", ""}; "/" -> {""}. The leading '/' is required by the callers.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  path.remove_prefix(1);
  for (;;) {
    const auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

/// Whether `a` is more specific than `b` (both matched the same path): at the first segment
/// where they differ in kind, the literal one wins.
bool more_specific(const Router::Route& a, const Router::Route& b) {
  for (std::size_t i = 0; i < a.segments.size() && i < b.segments.size(); ++i) {
    const bool a_param = is_param(a.segments[i]);
    const bool b_param = is_param(b.segments[i]);
    if (a_param != b_param) return !a_param;
  }
  return false;
}

void append_method(std::vector<Verb>& methods, Verb method) {
  if (std::find(methods.begin(), methods.end(), method) == methods.end()) {
    methods.push_back(method);
  }
}

}  // namespace

Router& Router::admit_by_default(Admission admit) {
  default_admit_ = std::move(admit);
  return *this;
}

Router& Router::add(Verb method, std::string pattern, Handler handler, RouteOptions options) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  if (!handler) throw std::invalid_argument("route without a handler: " + pattern);
  if (!options.admit && !options.anonymous) options.admit = default_admit_;
  Route route{method, pattern, std::move(handler), options, {}};
  std::vector<std::string_view> names;
  for (const auto segment : split_path(pattern)) {
    const bool param = is_param(segment);
    const auto inner = param ? segment.substr(1, segment.size() - 2) : segment;
    if (inner.find_first_of("{}") != std::string_view::npos || (param && inner.empty())) {
      throw std::invalid_argument("a parameter must be a whole segment like {id}: " + pattern);
    }
    if (param) {
      if (std::find(names.begin(), names.end(), inner) != names.end()) {
        throw std::invalid_argument("repeated parameter {" + std::string(inner) + "}: " + pattern);
      }
      names.push_back(inner);
    }
    route.segments.emplace_back(segment);
  }
  for (const auto& existing : routes_) {
    if (existing.method != method || existing.segments.size() != route.segments.size()) continue;
    bool same_shape = true;
    for (std::size_t i = 0; i < route.segments.size() && same_shape; ++i) {
      const bool a = is_param(existing.segments[i]);
      const bool b = is_param(route.segments[i]);
      same_shape = a == b && (a || existing.segments[i] == route.segments[i]);
    }
    if (same_shape) {
      throw std::invalid_argument(
          "route registered twice: " + std::string(to_std(to_string(method))) + " " + pattern);
    }
  }
  routes_.push_back(std::move(route));
  return *this;
}

Router& Router::get(std::string pattern, Handler handler, RouteOptions options) {
  return add(Verb::get, std::move(pattern), std::move(handler), options);
}
Router& Router::post(std::string pattern, Handler handler, RouteOptions options) {
  return add(Verb::post, std::move(pattern), std::move(handler), options);
}
Router& Router::put(std::string pattern, Handler handler, RouteOptions options) {
  return add(Verb::put, std::move(pattern), std::move(handler), options);
}
Router& Router::patch(std::string pattern, Handler handler, RouteOptions options) {
  return add(Verb::patch, std::move(pattern), std::move(handler), options);
}
Router& Router::del(std::string pattern, Handler handler, RouteOptions options) {
  return add(Verb::delete_, std::move(pattern), std::move(handler), options);
}

Router& Router::fallback(Handler handler) {
  Route route;
  route.method = Verb::get;
  route.pattern = "/*";
  route.handler = std::move(handler);
  fallback_ = std::move(route);
  return *this;
}

Router::Match Router::match(Verb method, std::string_view raw_path) const {
  Match result;
  if (raw_path.empty() || raw_path.front() != '/') {
    result.kind = Match::Kind::bad_path;
    return result;
  }
  std::vector<std::string> segments;
  for (const auto raw : split_path(raw_path)) {
    auto decoded = percent_decode(raw);
    if (!decoded) {
      result.kind = Match::Kind::bad_path;
      return result;
    }
    segments.push_back(std::move(*decoded));
  }

  const auto path_matches = [&segments](const Route& route) {
    if (route.segments.size() != segments.size()) return false;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (is_param(route.segments[i])) {
        if (segments[i].empty()) return false;  // "/v1/jobs//images" has no id
      } else if (route.segments[i] != segments[i]) {
        return false;
      }
    }
    return true;
  };
  const auto best_for = [&](Verb wanted) {
    const Route* best = nullptr;
    for (const auto& route : routes_) {
      if (route.method == wanted && path_matches(route) && (!best || more_specific(route, *best))) {
        best = &route;
      }
    }
    return best;
  };

  const Route* found = best_for(method);
  if (!found && method == Verb::head) found = best_for(Verb::get);
  if (found) {
    result.kind = Match::Kind::found;
    result.route = found;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const auto& segment = found->segments[i];
      if (is_param(segment)) {
        result.params.add(segment.substr(1, segment.size() - 2), std::move(segments[i]));
      }
    }
    return result;
  }

  std::vector<Verb> allowed;
  for (const auto& route : routes_) {
    if (!path_matches(route)) continue;
    append_method(allowed, route.method);
    if (route.method == Verb::get) append_method(allowed, Verb::head);
  }
  if (allowed.empty()) {
    if (fallback_ && (method == Verb::get || method == Verb::head)) {
      result.kind = Match::Kind::found;
      result.route = &*fallback_;
    }
    return result;  // not_found unless the fallback takes it
  }
  result.kind = Match::Kind::method_not_allowed;
  for (const auto verb : allowed) {
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += to_std(to_string(verb));
  }
  return result;
}

std::vector<RouteInfo> Router::routes() const {
  std::vector<RouteInfo> infos;
  infos.reserve(routes_.size());
  for (const auto& route : routes_)
    infos.push_back({route.method, route.pattern, route.options.body, route.options.query});
  return infos;
}

}  // namespace imagesprint::http
