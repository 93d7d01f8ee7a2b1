#pragma once
// Internal to the HTTP adapter: the body of a streaming route, read from the connection as the
// handler asks for it, within the route's limit and the body's pace.
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <exception>
#include <optional>
#include <string_view>
#include <vector>

#include "adapters/http/body_pace.hpp"
#include "adapters/http/http_error.hpp"
#include "adapters/http/request.hpp"
#include "adapters/http/server_session.hpp"
#include "adapters/http/session_io.hpp"

namespace imagesprint::http::detail {

class StreamingBodyReader final : public BodyReader {
 public:
  StreamingBodyReader(Session& session, bhttp::request_parser<bhttp::empty_body>&& header_parser,
                      std::uint64_t limit, bool expect_continue)
      : session_(session),
        content_length_(header_parser.chunked() ? std::nullopt
                                                : declared_length(header_parser.get())),
        parser_(std::move(header_parser)),
        limit_(limit),
        expect_continue_(expect_continue),
        chunk_(READ_CHUNK),
        pace_(session.config()) {
    // Beast checks a Content-Length against the limit only while parsing the header (done
    // already, by the caller, before this reader exists); chunked bodies are checked here.
    parser_.body_limit(limit);
  }

  net::awaitable<std::optional<std::string_view>> read_some() override {
    if (parser_.is_done()) co_return std::nullopt;
    if (failure_) std::rethrow_exception(failure_);
    if (expect_continue_) {
      expect_continue_ = false;
      co_await session_.write_continue();
    }
    for (;;) {
      auto& body = parser_.get().body();
      body.data = chunk_.data();
      body.size = chunk_.size();
      session_.stream().expires_at(pace_.next_deadline());
      error_code ec;
      co_await bhttp::async_read_some(session_.stream(), session_.buffer(), parser_, capture(ec));
      if (ec == bhttp::error::need_buffer) ec = {};  // our chunk is full: hand it out
      if (ec) fail(ec);
      const std::size_t got = chunk_.size() - parser_.get().body().size;
      if (!pace_.record(got)) fail_slow();
      bytes_ += got;
      if (got > 0) co_return std::string_view(chunk_.data(), got);
      if (parser_.is_done()) co_return std::nullopt;
    }
  }

  std::uint64_t bytes_read() const override { return bytes_; }
  bool done() const override { return parser_.is_done(); }
  std::optional<std::uint64_t> content_length() const override { return content_length_; }
  std::uint64_t limit() const override { return limit_; }
  bool broken() const { return broken_; }

 private:
  [[noreturn]] void fail_slow() {
    failure_ = std::make_exception_ptr(too_slow(session_.config()));
    std::rethrow_exception(failure_);
  }

  [[noreturn]] void fail(const error_code& ec) {
    try {
      if (ec == bhttp::error::body_limit) {
        throw HttpError(Status::payload_too_large, "payload_too_large",
                        "the request body is larger than " + std::to_string(limit_) + " bytes");
      }
      if (is_connection_error(ec)) {
        broken_ = true;
        throw BodyReadError(ec);
      }
      throw HttpError(Status::bad_request, "bad_request",
                      "malformed request body: " + ec.message());
    } catch (...) {
      failure_ = std::current_exception();  // a second read_some fails the same way
      throw;
    }
  }

  Session& session_;
  std::optional<std::uint64_t> content_length_;
  bhttp::request_parser<bhttp::buffer_body> parser_;
  std::uint64_t limit_;
  bool expect_continue_;
  std::vector<char> chunk_;
  std::uint64_t bytes_ = 0;
  bool broken_ = false;
  std::exception_ptr failure_;
  BodyPace pace_;
};

}  // namespace imagesprint::http::detail
