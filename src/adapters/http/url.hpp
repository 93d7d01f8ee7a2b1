#pragma once
// Request-target parsing: path and query split, percent-decoding, query parameters.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace imagesprint::http {

/// Decodes %XX escapes; with `plus_is_space` (query strings, form encoding) '+' becomes ' '.
/// Returns nullopt for a malformed escape ("%4", "%zz"): the caller answers 400.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

/// Encodes everything outside RFC 3986 "unreserved" as %XX (for Content-Disposition filename*).
std::string percent_encode(std::string_view text);

/// An origin-form request target ("/v1/jobs?status=done") cut into its raw parts.
struct Target {
  std::string_view path;   // still percent-encoded; segments are decoded by the router
  std::string_view query;  // without the '?'; empty when absent
};

/// Splits a target; nullopt when it is not origin-form (must start with '/').
std::optional<Target> split_target(std::string_view target);

/// Decoded query parameters in request order; a name may repeat ("?tag=a&tag=b").
class QueryParams {
 public:
  QueryParams() = default;

  /// Parses "a=1&b=x%20y&flag"; a name without '=' gets an empty value, empty pairs are skipped.
  /// nullopt when an escape is malformed.
  static std::optional<QueryParams> parse(std::string_view query);

  /// The first value of `name`, nullopt when absent.
  std::optional<std::string_view> get(std::string_view name) const;
  /// Every value of `name`, in order.
  std::vector<std::string_view> get_all(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }

  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

}  // namespace imagesprint::http
