#pragma once
// A webhook receiver for tests: plain sockets on 127.0.0.1 and a port picked by the kernel, one
// connection at a time, answering each request with the bytes its handler returns.
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace imagesprint::curl::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;  // as sent, names lowercased
  std::string body;

  /// The first header of that (lowercase) name, or nullopt.
  std::optional<std::string> header(std::string_view name) const;
};

class LocalReceiver {
 public:
  /// The raw HTTP response to write, or nullopt to hold the connection open without answering
  /// until the receiver is destroyed.
  using Handler = std::function<std::optional<std::string>(const ReceivedRequest&)>;

  explicit LocalReceiver(Handler handler);
  ~LocalReceiver();
  LocalReceiver(const LocalReceiver&) = delete;
  LocalReceiver& operator=(const LocalReceiver&) = delete;

  std::uint16_t port() const { return port_; }
  /// "http://127.0.0.1:<port><path>"
  std::string url(std::string_view path = "/hook") const;
  /// Requests read completely so far.
  std::vector<ReceivedRequest> requests() const;
  /// TCP connections accepted so far (a refused address never gets this far).
  int connections() const { return connections_; }

  /// A response with that status, extra header lines ("Name: value\r\n" each) and body.
  static std::string response(int status, std::string_view extra_headers = "",
                              std::string_view body = "");

 private:
  void run();
  void serve(int fd);

  Handler handler_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::vector<ReceivedRequest> requests_;
  std::thread thread_;
};

/// A port on 127.0.0.1 where nothing listens (bound, then closed).
std::uint16_t unused_port();

}  // namespace imagesprint::curl::testing
