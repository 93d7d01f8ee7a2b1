#include "local_receiver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace imagesprint::curl::testing {
namespace {

constexpr int POLL_MS = 20;
constexpr auto READ_TIMEOUT = std::chrono::seconds(10);

std::string lower(std::string text) {
  std::ranges::transform(text, text.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

int listen_on_loopback(std::uint16_t* port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(fd, 16) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    throw std::runtime_error("cannot listen on 127.0.0.1");
  }
  *port = ntohs(address.sin_port);
  return fd;
}

}  // namespace

std::optional<std::string> ReceivedRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

LocalReceiver::LocalReceiver(Handler handler) : handler_(std::move(handler)) {
  listener_ = listen_on_loopback(&port_);
  thread_ = std::thread([this] { run(); });
}

LocalReceiver::~LocalReceiver() {
  stopping_ = true;
  thread_.join();
  close(listener_);
}

std::string LocalReceiver::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

std::vector<ReceivedRequest> LocalReceiver::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

std::string LocalReceiver::response(int status, std::string_view extra_headers,
                                    std::string_view body) {
  return "HTTP/1.1 " + std::to_string(status) +
         " Status\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n" +
         std::string(extra_headers) + "\r\n" + std::string(body);
}

void LocalReceiver::run() {
  while (!stopping_) {
    pollfd waiting{listener_, POLLIN, 0};
    if (poll(&waiting, 1, POLL_MS) <= 0) continue;
    const int fd = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    serve(fd);
    close(fd);
  }
}

void LocalReceiver::serve(int fd) {
  // Read the header, then Content-Length bytes of body.
  std::string data;
  std::size_t header_end = std::string::npos;
  std::size_t body_length = 0;
  const auto deadline = std::chrono::steady_clock::now() + READ_TIMEOUT;
  ReceivedRequest request;
  while (!stopping_ && std::chrono::steady_clock::now() < deadline) {
    if (header_end != std::string::npos && data.size() >= header_end + 4 + body_length) break;
    pollfd readable{fd, POLLIN, 0};
    if (poll(&readable, 1, POLL_MS) <= 0) continue;
    char buffer[16384];
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return;
    data.append(buffer, static_cast<std::size_t>(n));
    if (header_end == std::string::npos) {
      header_end = data.find("\r\n\r\n");
      if (header_end == std::string::npos) continue;
      std::size_t line_start = 0;
      bool first = true;
      while (line_start < header_end) {
        auto line_end = data.find("\r\n", line_start);
        const std::string line = data.substr(line_start, line_end - line_start);
        line_start = line_end + 2;
        if (first) {
          first = false;
          const auto space = line.find(' ');
          request.method = line.substr(0, space);
          request.target = line.substr(space + 1, line.rfind(' ') - space - 1);
          continue;
        }
        const auto colon = line.find(':');
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        request.headers.emplace_back(lower(line.substr(0, colon)), value);
      }
      if (auto length = request.header("content-length")) {
        body_length = static_cast<std::size_t>(std::strtoull(length->c_str(), nullptr, 10));
      }
    }
  }
  if (header_end == std::string::npos || data.size() < header_end + 4 + body_length) return;
  request.body = data.substr(header_end + 4, body_length);
  {
    const std::lock_guard lock(mutex_);
    requests_.push_back(request);
  }
  const auto answer = handler_(request);
  if (!answer) {
    // Say nothing until the client gives up (closes) or the receiver stops.
    while (!stopping_) {
      pollfd readable{fd, POLLIN, 0};
      if (poll(&readable, 1, POLL_MS) <= 0) continue;
      char byte = 0;
      if (recv(fd, &byte, 1, 0) <= 0) return;
    }
    return;
  }
  std::string_view rest = *answer;
  while (!rest.empty()) {
    const ssize_t n = send(fd, rest.data(), rest.size(), MSG_NOSIGNAL);
    if (n <= 0) return;  // the client stopped reading (the response cap)
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  shutdown(fd, SHUT_WR);
}

std::uint16_t unused_port() {
  std::uint16_t port = 0;
  close(listen_on_loopback(&port));
  return port;
}

}  // namespace imagesprint::curl::testing
