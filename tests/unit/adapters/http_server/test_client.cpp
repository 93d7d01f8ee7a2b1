#include "test_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <spdlog/logger.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <limits>
#include <stdexcept>

namespace imagesprint::http::testing {

Connection::Connection(std::uint16_t port, std::chrono::milliseconds timeout)
    : stream_(io_), timeout_(timeout) {
  const tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), port);
  const auto ec = run([&](auto done) { stream_.async_connect(endpoint, done); }, timeout_);
  if (ec) throw std::runtime_error("connect: " + ec.message());
}

template <typename Op>
error_code Connection::run(Op&& op, std::chrono::milliseconds timeout) {
  error_code result = boost::asio::error::would_block;
  stream_.expires_after(timeout);
  op([&result](const error_code& ec, auto&&...) { result = ec; });
  io_.restart();
  io_.run();
  return result;
}

error_code Connection::send(std::string_view bytes) {
  return run(
      [&](auto done) {
        boost::asio::async_write(stream_, boost::asio::buffer(bytes.data(), bytes.size()), done);
      },
      timeout_);
}

error_code Connection::send(bhttp::request<bhttp::string_body> request) {
  if (request.find(Field::content_length) == request.end() && !request.chunked()) {
    request.prepare_payload();
  }
  return run([&](auto done) { bhttp::async_write(stream_, request, done); }, timeout_);
}

std::optional<Message> Connection::read(error_code* error, bool head) {
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  parser.skip(head);
  const auto ec =
      run([&](auto done) { bhttp::async_read(stream_, buffer_, parser, done); }, timeout_);
  if (error) *error = ec;
  if (ec) return std::nullopt;
  return parser.release();
}

Message Connection::roundtrip(bhttp::request<bhttp::string_body> request) {
  const bool head = request.method() == Verb::head;
  if (const auto ec = send(std::move(request))) throw std::runtime_error("send: " + ec.message());
  error_code ec;
  auto response = read(&ec, head);
  if (!response) throw std::runtime_error("read: " + ec.message());
  return std::move(*response);
}

bool Connection::closed_by_server(std::chrono::milliseconds within) {
  char byte = 0;
  const auto ec =
      run([&](auto done) { stream_.async_read_some(boost::asio::buffer(&byte, 1), done); }, within);
  return ec && ec != boost::beast::error::timeout && ec != boost::asio::error::would_block;
}

bool Connection::read_header() {
  parser_.emplace();
  parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  const auto ec =
      run([&](auto done) { bhttp::async_read_header(stream_, buffer_, *parser_, done); }, timeout_);
  return !ec;
}

bool Connection::read_until(std::string_view needle, std::chrono::milliseconds within,
                            std::size_t from) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  for (;;) {
    if (body().find(needle, from) != std::string::npos) return true;
    if (parser_->is_done()) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    const auto ec =
        run([&](auto done) { bhttp::async_read_some(stream_, buffer_, *parser_, done); }, left);
    if (ec) return body().find(needle, from) != std::string::npos;
  }
}

bool Connection::read_to_end(std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (!parser_->is_done()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    const auto ec =
        run([&](auto done) { bhttp::async_read_some(stream_, buffer_, *parser_, done); }, left);
    if (ec) return parser_->is_done();
  }
  return true;
}

void Connection::close() {
  error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.close();
}

RawSocket::RawSocket(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
  if (fd_ < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("connect() failed");
  }
}

RawSocket::~RawSocket() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawSocket::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

bool RawSocket::wait_closed(std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() < 0) return false;
    pollfd waiting{fd_, POLLIN, 0};
    const int ready = ::poll(&waiting, 1, static_cast<int>(left.count()));
    if (ready == 0) return false;
    if (ready < 0) return true;
    char buffer[4096];
    const auto got = ::recv(fd_, buffer, sizeof buffer, 0);
    if (got <= 0) return true;  // EOF or reset
    received_.append(buffer, static_cast<std::size_t>(got));
  }
}

bhttp::request<bhttp::string_body> make_request(Verb method, std::string_view target,
                                                std::string body, std::string_view content_type) {
  bhttp::request<bhttp::string_body> request{method, to_beast(target), 11};
  request.set(Field::host, "127.0.0.1");
  if (!content_type.empty()) request.set(Field::content_type, to_beast(content_type));
  request.body() = std::move(body);
  if (!request.body().empty() || method == Verb::post || method == Verb::put) {
    request.prepare_payload();
  }
  return request;
}

Message fetch(std::uint16_t port, Verb method, std::string_view target, std::string body,
              std::string_view content_type) {
  Connection connection(port);
  return connection.roundtrip(make_request(method, target, std::move(body), content_type));
}

std::vector<std::string> CaptureSink::lines() {
  std::lock_guard lock(mutex_);
  return lines_;
}

void CaptureSink::sink_it_(const spdlog::details::log_msg& message) {
  lines_.emplace_back(message.payload.data(), message.payload.size());
}

ServerConfig test_config() {
  ServerConfig config;
  config.host = "127.0.0.1";
  config.port = 0;
  config.threads = 2;
  config.blocking_threads = 2;
  config.header_timeout = 2s;
  config.idle_timeout = 2s;
  config.body_read_timeout = 2s;
  config.write_timeout = 2s;
  config.shutdown_timeout = 2s;
  return config;
}

TestServer::TestServer(Router router, ServerConfig config)
    : sink_(std::make_shared<CaptureSink>()) {
  if (!config.access_log) config.access_log = std::make_shared<spdlog::logger>("http-test", sink_);
  server_ = std::make_unique<HttpServer>(std::move(config), std::move(router));
  server_->start();
}

TestServer::~TestServer() {
  stop();
}

void TestServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  server_->stop();
  server_->wait();
}

}  // namespace imagesprint::http::testing
