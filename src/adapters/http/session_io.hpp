#pragma once
// Internal to the HTTP adapter: what the connection's files share (a session's reading, its
// responses and its event streams): Beast names, buffer sizes, and small helpers on headers and
// errors.
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/http/ascii.hpp"
#include "adapters/http/http_types.hpp"
#include "domain/whole_number.hpp"

namespace imagesprint::http::detail {
namespace bhttp = boost::beast::http;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

inline constexpr std::size_t READ_CHUNK = 64 * 1024;  // socket reads and body chunks
inline constexpr std::size_t FILE_CHUNK = 64 * 1024;  // file bytes per write
inline constexpr std::chrono::seconds LINGER_TIME{
    2};  // draining a client still sending, before close
inline constexpr std::size_t SSE_BATCH_BYTES = 64 * 1024;  // queued events coalesced into one write

/// Completion token for operations whose failure is an expected outcome, not an exception.
inline auto capture(error_code& ec) {
  return net::redirect_error(net::use_awaitable, ec);
}

/// Errors that mean the connection is gone or timed out (nothing left to answer on).
/// Everything but a parse error (which has the HTTP category) is: eof, reset, timeout, abort.
inline bool is_connection_error(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec.category() != bhttp::make_error_code(bhttp::error::end_of_stream).category();
}

inline std::string method_label(const RequestHeader& header) {
  // An unknown method must not become a metric label: the client chooses its spelling.
  if (header.method() == Verb::unknown) return "OTHER";
  return std::string(to_std(header.method_string()));
}

/// The request's Content-Length, from the header Beast has already validated. Not Beast's
/// parser.content_length(): GCC 12 reports -Wmaybe-uninitialized inside its boost::optional at -O2.
inline std::optional<std::uint64_t> declared_length(const RequestHeader& header) {
  return whole_number<std::uint64_t>(to_std(header[Field::content_length]));
}

}  // namespace imagesprint::http::detail
