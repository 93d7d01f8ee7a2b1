#pragma once
// Internal to the HTTP adapter: how a request's body is framed, and its header lines, checked
// before the body is read.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/http/http_types.hpp"

namespace imagesprint::http::detail {

/// RFC 9112 section 6.1: a request's transfer codings must end in "chunked", or its body has no
/// knowable end; and Transfer-Encoding with Content-Length, or in HTTP/1.0, is refused as the
/// RFC advises. Reading on after such a header would let a second request hide in the body
/// (request smuggling): the caller answers 400 and closes.
inline std::optional<std::string> framing_problem(const RequestHeader& header, bool chunked) {
  if (header.count(Field::transfer_encoding) == 0) return std::nullopt;
  if (!chunked) return "Transfer-Encoding must end in chunked";
  if (header.count(Field::content_length) > 0)
    return "Transfer-Encoding and Content-Length together";
  if (header.version() < 11) return "Transfer-Encoding in an HTTP/1.0 request";
  return std::nullopt;
}

/// The first field this request carries on more than one line although it takes one value, or
/// nullopt. Only a list-valued field may be split over lines (RFC 9110 5.3), and RFC 9112 3.2
/// makes two Host lines a 400. With two lines of one of these, the proxy in front and this server
/// could each act on another (two Hosts, two Authorizations), and a handler reading the first
/// line would take an Upload-Offset the client may not have meant.
inline std::optional<std::string_view> repeated_field(const RequestHeader& header) {
  // clang-format off
  static constexpr std::array<std::string_view, 14> SINGLE{
      "Host", "Authorization", "Cookie", "Content-Type", "Origin", "Range", "If-Range",
      "Idempotency-Key", "Last-Event-ID", "Tus-Resumable", "Upload-Offset", "Upload-Length",
      "Upload-Metadata", "Upload-Defer-Length"};
  // clang-format on
  for (const std::string_view name : SINGLE) {
    if (header.count(boost::beast::string_view(name.data(), name.size())) > 1) return name;
  }
  return std::nullopt;
}

}  // namespace imagesprint::http::detail
