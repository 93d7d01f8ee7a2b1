#pragma once
// A small HTTP client for the server tests: real TCP to 127.0.0.1, every operation bounded by a
// timeout (Beast's synchronous calls have none, and a hung test helps nobody).
#include "adapters/http/http_types.hpp"

#include <spdlog/sinks/base_sink.h>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/server.hpp"

namespace imagesprint::http::testing {

namespace bhttp = boost::beast::http;
using Message = bhttp::response<bhttp::string_body>;
using namespace std::chrono_literals;
using boost::system::error_code;

class Connection {
 public:
  explicit Connection(std::uint16_t port, std::chrono::milliseconds timeout = 5s);

  /// Raw bytes, as they are. Returns the write's error.
  error_code send(std::string_view bytes);
  /// Writes a request (Content-Length set from the body unless already there).
  error_code send(bhttp::request<bhttp::string_body> request);
  /// Reads one whole response; nullopt (and `error`) on failure or timeout. `head`: the answer
  /// to a HEAD request (a Content-Length but no body).
  std::optional<Message> read(error_code* error = nullptr, bool head = false);
  /// send() + read(); throws when there is no response.
  Message roundtrip(bhttp::request<bhttp::string_body> request);
  /// The raw native socket, for byte-level tests.
  tcp::socket& socket() { return stream_.socket(); }
  /// Whether the server closes the connection (EOF or reset) within `within`; false when data
  /// or nothing arrives.
  bool closed_by_server(std::chrono::milliseconds within);

  /// Streams: reads a response header and keeps the parser for read_more().
  bool read_header();
  const bhttp::response_parser<bhttp::string_body>& parser() const { return *parser_; }
  /// Reads more of a streamed body until `needle` occurs in it (counting from `from`) or the
  /// time is up; returns whether it occurred. `ended` says whether the body ended.
  bool read_until(std::string_view needle, std::chrono::milliseconds within, std::size_t from = 0);
  bool body_ended() const { return parser_ && parser_->is_done(); }
  const std::string& body() const { return parser_->get().body(); }
  /// Reads until the body ends (or the connection drops); returns whether it ended cleanly.
  bool read_to_end(std::chrono::milliseconds within);

  void close();

 private:
  template <typename Op>
  error_code run(Op&& op, std::chrono::milliseconds timeout);

  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::chrono::milliseconds timeout_;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
};

/// A blocking POSIX socket for byte-level tests (slow clients): no Asio timer in the way.
class RawSocket {
 public:
  explicit RawSocket(std::uint16_t port);
  ~RawSocket();
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  /// Sends all of `bytes`; false when the connection is broken.
  bool send(std::string_view bytes);
  /// Waits up to `within` for the server to close (EOF or reset). Data that arrives is kept in
  /// received(); returns true once closed.
  bool wait_closed(std::chrono::milliseconds within);
  const std::string& received() const { return received_; }

 private:
  int fd_ = -1;
  std::string received_;
};

/// A request with the Host header set.
bhttp::request<bhttp::string_body> make_request(Verb method, std::string_view target,
                                                std::string body = {},
                                                std::string_view content_type = {});

/// One request on a fresh connection.
Message fetch(std::uint16_t port, Verb method, std::string_view target, std::string body = {},
              std::string_view content_type = {});

/// Keeps every log line the server writes, for assertions (and quiet test output).
class CaptureSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::string> lines();

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override;
  void flush_() override {}

 private:
  std::vector<std::string> lines_;
};

/// Short timeouts, two IO threads, port 0; TestServer points the logs at its CaptureSink.
ServerConfig test_config();

/// A started server on a free port, stopped and joined on destruction.
class TestServer {
 public:
  explicit TestServer(Router router, ServerConfig config = test_config());
  ~TestServer();

  HttpServer& server() { return *server_; }
  std::uint16_t port() const { return server_->port(); }
  std::shared_ptr<CaptureSink> sink() const { return sink_; }
  /// stop() and wait().
  void stop();

 private:
  std::shared_ptr<CaptureSink> sink_;
  std::unique_ptr<HttpServer> server_;
  bool stopped_ = false;
};

/// Polls `condition` every 5 ms until it holds or `within` passes.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds within = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

}  // namespace imagesprint::http::testing
