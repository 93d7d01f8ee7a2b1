#pragma once
// Names shared by the whole HTTP adapter: the Boost namespaces it is written against and the
// Beast types a handler sees (status, method, header field).

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>: it must come
// before any Asio header (see DESIGN.md, "Known pitfalls").
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <string_view>

namespace imagesprint::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = boost::asio::ip::tcp;

using Status = boost::beast::http::status;
using Verb = boost::beast::http::verb;
using Field = boost::beast::http::field;
using Fields = boost::beast::http::fields;
using RequestHeader = boost::beast::http::request_header<>;

/// Beast 1.74 hands out boost::string_view; the rest of the code base speaks std::string_view.
inline std::string_view to_std(boost::beast::string_view s) {
  return {s.data(), s.size()};
}
inline boost::beast::string_view to_beast(std::string_view s) {
  return {s.data(), s.size()};
}

}  // namespace imagesprint::http
