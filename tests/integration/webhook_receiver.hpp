#pragma once
// A webhook receiver for the tests: a real HTTP server on 127.0.0.1 (our own Beast transport)
// that records every request and answers each path from a script of statuses (200 once the
// script is used up).
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace imagesprint::http {
class HttpServer;
}

namespace imagesprint::test {

struct ReceivedRequest {
  std::string path;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  std::chrono::steady_clock::time_point at;
};

class WebhookReceiver {
 public:
  WebhookReceiver();
  ~WebhookReceiver();

  std::string url(const std::string& path) const;
  /// The statuses the next requests to `path` get, in order.
  void script(const std::string& path, std::deque<int> statuses);
  /// Every request to `path` so far.
  std::vector<ReceivedRequest> received(const std::string& path);
  /// Waits until `path` got at least `count` requests; returns them.
  std::vector<ReceivedRequest> wait_for(const std::string& path, std::size_t count,
                                        std::chrono::seconds within);

 private:
  std::mutex mutex_;
  std::map<std::string, std::deque<int>> scripts_;
  std::vector<ReceivedRequest> requests_;
  std::unique_ptr<http::HttpServer> server_;
};

}  // namespace imagesprint::test
