#pragma once
// Internal to the HTTP adapter: how a request's body is framed, checked before it is read.
#include <optional>
#include <string>

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

}  // namespace imagesprint::http::detail
