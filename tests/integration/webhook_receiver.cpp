#include "webhook_receiver.hpp"

#include <algorithm>
#include <cctype>
#include <thread>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "adapters/http/server.hpp"

namespace imagesprint::test {

WebhookReceiver::WebhookReceiver() {
  http::Router router;
  const auto handler = [this](http::Request& request) -> http::net::awaitable<http::Response> {
    ReceivedRequest received;
    received.path = std::string(request.path());
    for (const auto& field : request.header()) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      received.headers[name] = std::string(field.value());
    }
    received.body = request.body();
    received.at = std::chrono::steady_clock::now();
    int status = 200;
    {
      std::lock_guard lock(mutex_);
      auto& script = scripts_[received.path];
      if (!script.empty()) {
        status = script.front();
        script.pop_front();
      }
      requests_.push_back(std::move(received));
    }
    co_return http::Response::json(static_cast<http::Status>(status), {{"status", status}});
  };
  router.post("/{hook}", handler);
  http::ServerConfig config;
  config.host = "127.0.0.1";
  config.port = 0;
  config.threads = 1;
  config.access_log = std::make_shared<spdlog::logger>(
      "webhook-receiver", std::make_shared<spdlog::sinks::null_sink_mt>());
  server_ = std::make_unique<http::HttpServer>(config, std::move(router));
  server_->start();
}

WebhookReceiver::~WebhookReceiver() {
  server_->stop();
  server_->wait();
}

std::string WebhookReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
}

void WebhookReceiver::script(const std::string& path, std::deque<int> statuses) {
  std::lock_guard lock(mutex_);
  scripts_[path] = std::move(statuses);
}

std::vector<ReceivedRequest> WebhookReceiver::received(const std::string& path) {
  std::lock_guard lock(mutex_);
  std::vector<ReceivedRequest> out;
  for (const auto& r : requests_) {
    if (r.path == path) out.push_back(r);
  }
  return out;
}

std::vector<ReceivedRequest> WebhookReceiver::wait_for(const std::string& path, std::size_t count,
                                                       std::chrono::seconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  for (;;) {
    auto got = received(path);
    if (got.size() >= count || std::chrono::steady_clock::now() > deadline) return got;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace imagesprint::test
