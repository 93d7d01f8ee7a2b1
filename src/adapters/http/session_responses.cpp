// A session writes a response: from memory, a file, or a ByteSource with Range, If-Range and
// If-None-Match answered.
#include "adapters/http/server_session.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <algorithm>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <vector>

#include "adapters/http/accept_language.hpp"
#include "adapters/http/body_pace.hpp"
#include "adapters/http/file_source.hpp"
#include "adapters/http/http_error.hpp"
#include "adapters/http/request.hpp"
#include "adapters/http/request_framing.hpp"
#include "adapters/http/session_io.hpp"
#include "adapters/http/streaming_body_reader.hpp"
#include "adapters/http/url.hpp"

namespace imagesprint::http::detail {

net::awaitable<void> Session::write_response(Exchange& exchange, Response& response) {
  response.set("X-Request-Id", exchange.request_id);
  if (exchange.route_options != nullptr) {
    for (const auto& [name, value] : exchange.route_options->headers) {
      if (response.headers().find(name) == response.headers().end()) response.set(name, value);
    }
  }
  if (exchange.header != nullptr) {
    // Error messages in the reader's language; without a header (it could not be read): English.
    const auto accept = (*exchange.header)[Field::accept_language];
    response.localize(pick_language(std::string_view(accept.data(), accept.size())));
  }
  if (response.file_body() != nullptr) {
    co_await write_file(exchange, response);
  } else if (const auto* streamed = response.stream_body()) {
    co_await write_source(exchange, response, *streamed->source, streamed->content_type);
  } else if (response.sse_body() != nullptr) {
    co_await write_events(exchange, response);
  } else {
    co_await write_memory(exchange, response);
  }
  finish(exchange);
}

net::awaitable<void> Session::write_memory(Exchange& exchange, Response& response) {
  bhttp::response<bhttp::string_body> message;
  static_cast<Fields&>(message.base()) = response.headers();
  message.result(response.status());
  message.version(exchange.version);
  const auto code = static_cast<unsigned>(response.status());
  const bool no_body = (code >= 100 && code < 200) || code == 204 || code == 304;
  if (!no_body) message.body() = std::move(*response.body());
  message.keep_alive(exchange.keep_alive);
  message.prepare_payload();
  exchange.status = code;

  stream_.expires_after(server_.config.write_timeout);
  error_code ec;
  if (exchange.head) {
    bhttp::response_serializer<bhttp::string_body> serializer(message);
    co_await bhttp::async_write_header(stream_, serializer, capture(ec));
  } else {
    co_await bhttp::async_write(stream_, message, capture(ec));
    if (!ec) exchange.bytes_out = message.body().size();
  }
  if (ec) exchange.keep_alive = false;
}

net::awaitable<void> Session::write_file(Exchange& exchange, Response& response) {
  const FileBody file = *response.file_body();
  int open_error = 0;
  auto handle = open_file(file.path, open_error);
  struct stat info {};
  if (handle && (::fstat(handle.get(), &info) != 0 || !S_ISREG(info.st_mode))) open_error = ENOENT;
  if (!handle || open_error != 0) {
    Response error =
        open_error == ENOENT || open_error == ENOTDIR
            ? Response::error(Status::not_found, "not_found", "no such file")
            : Response::error(Status::internal_server_error, "internal", "the file cannot be read");
    if (open_error != ENOENT && open_error != ENOTDIR) {
      server_.log->error(nlohmann::json{
          {"type", "file_error"},
          {"request_id", exchange.request_id},
          {"path", file.path.string()},
          {"errno",
           open_error}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    error.set("X-Request-Id", exchange.request_id);
    co_await write_memory(exchange, error);
    co_return;
  }
  const auto size = static_cast<std::uint64_t>(info.st_size);
  std::string etag = file.etag;
  if (etag.empty()) {
    etag = file_etag(size, std::chrono::seconds(info.st_mtim.tv_sec) +
                               std::chrono::nanoseconds(info.st_mtim.tv_nsec));
  }
  const auto source = std::make_shared<FileSource>(std::move(handle), size, std::move(etag));
  co_await write_source(exchange, response, *source, file.content_type);
}

net::awaitable<void> Session::write_source(Exchange& exchange, Response& response,
                                           ByteSource& source, const std::string& content_type) {
  const std::uint64_t size = source.size();
  const std::string etag = source.etag();
  const auto header_value = [&](Field name) {
    const auto it = exchange.header->find(name);
    return it == exchange.header->end() ? std::string_view{} : to_std(it->value());
  };

  bhttp::response<bhttp::empty_body> message;
  static_cast<Fields&>(message.base()) = response.headers();
  message.version(exchange.version);
  message.keep_alive(exchange.keep_alive);
  if (!content_type.empty()) message.set(Field::content_type, to_beast(content_type));
  if (!etag.empty()) message.set(Field::etag, to_beast(etag));
  message.set(Field::accept_ranges, "bytes");

  // If-Match first (RFC 9110 13.2.2): the client wants these bytes only if they are still the
  // version it names (a download tool resuming, a mirror fetching what it listed), else 412.
  const auto if_match = header_value(Field::if_match);
  if (!if_match.empty() && !etag_matches_strongly(if_match, etag)) {
    auto error = Response::error(Status::precondition_failed, "precondition_failed",
                                 "the file is no longer the version If-Match names", "If-Match");
    error.set("X-Request-Id", exchange.request_id);
    co_await write_memory(exchange, error);
    co_return;
  }
  ByteRange range{0, size == 0 ? 0 : size - 1};
  std::uint64_t length = size;
  const auto if_none_match = header_value(Field::if_none_match);
  if (!if_none_match.empty() && !etag.empty() && etag_matches(if_none_match, etag)) {
    message.result(Status::not_modified);
    length = 0;
  } else {
    auto wanted = parse_range(header_value(Field::range), size);
    // If-Range: the client's copy is stale, so a part of the new bytes would not fit it.
    const auto if_range = header_value(Field::if_range);
    if (!if_range.empty() && (etag.empty() || if_range != etag))
      wanted.kind = RangeRequest::Kind::none;
    switch (wanted.kind) {
      case RangeRequest::Kind::none:
        message.result(response.status());
        break;
      case RangeRequest::Kind::satisfiable:
        message.result(Status::partial_content);
        range = wanted.range;
        length = range.length();
        message.set(Field::content_range, "bytes " + std::to_string(range.first) + "-" +
                                              std::to_string(range.last) + "/" +
                                              std::to_string(size));
        break;
      case RangeRequest::Kind::unsatisfiable: {
        auto error = Response::error(
            Status::range_not_satisfiable, "range_not_satisfiable",
            "the range is outside the " + std::to_string(size) + " bytes of the file", "Range");
        error.set(Field::content_range, "bytes */" + std::to_string(size));
        error.set("X-Request-Id", exchange.request_id);
        co_await write_memory(exchange, error);
        co_return;
      }
    }
  }
  exchange.status = static_cast<unsigned>(message.result());
  if (message.result() != Status::not_modified) message.content_length(length);

  stream_.expires_after(server_.config.write_timeout);
  error_code ec;
  bhttp::response_serializer<bhttp::empty_body> serializer(message);
  co_await bhttp::async_write_header(stream_, serializer, capture(ec));
  if (ec || exchange.head || message.result() == Status::not_modified) {
    if (ec) exchange.keep_alive = false;
    co_return;
  }

  // The bytes go out as they are read: memory stays at one chunk whatever the size.
  std::vector<std::uint8_t> chunk(
      static_cast<std::size_t>(std::min<std::uint64_t>(FILE_CHUNK, length)));
  std::uint64_t offset = range.first;
  std::uint64_t left = length;
  while (left > 0) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), left));
    const std::span<std::uint8_t> out(chunk.data(), want);
    std::size_t got = 0;
    std::string failure;
    try {
      // (No co_await inside a conditional expression: GCC 12 miscompiles that in coroutines.)
      if (source.blocks()) {
        // Captures by reference only: GCC 12 destroys by-value captures of a lambda temporary
        // in a co_await expression twice.
        got = co_await server_.blocking.run([&] { return source.read_at(offset, out); });
      } else {
        got = source.read_at(offset, out);
      }
      if (got == 0) failure = "the body is shorter than announced";
    } catch (const std::exception& e) {
      failure = e.what();
    }
    if (!failure.empty()) {
      // The promised length cannot be kept: the connection ends, so the client sees a short body.
      server_.log->error(nlohmann::json{
          {"type", "body_error"},
          {"request_id", exchange.request_id},
          {"error", failure}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      exchange.keep_alive = false;
      stream_.close();
      co_return;
    }
    stream_.expires_after(server_.config.write_timeout);
    co_await net::async_write(stream_, net::buffer(chunk.data(), got), capture(ec));
    if (ec) {
      exchange.keep_alive = false;
      co_return;
    }
    exchange.bytes_out += got;
    offset += got;
    left -= got;
  }
}

}  // namespace imagesprint::http::detail
