// What HttpServer shares with its connections: the registry and the limits on connections, and
// request ids.
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

#include "adapters/http/body_pace.hpp"
#include "adapters/http/file_source.hpp"
#include "adapters/http/http_error.hpp"
#include "adapters/http/request.hpp"
#include "adapters/http/request_framing.hpp"
#include "adapters/http/session_io.hpp"
#include "adapters/http/streaming_body_reader.hpp"
#include "adapters/http/url.hpp"

namespace imagesprint::http::detail {

// ---------------------------------------------------------------------------------------------
// Request ids

std::string generate_request_id() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char HEX[] = "0123456789abcdef";
  std::string id(32, '0');
  for (std::size_t half = 0; half < 2; ++half) {
    auto bits = engine();
    for (std::size_t i = 0; i < 16; ++i, bits >>= 4) id[half * 16 + i] = HEX[bits & 0xf];
  }
  return id;
}

std::function<void(std::exception_ptr)> log_escape(std::shared_ptr<spdlog::logger> log,
                                                   std::string coroutine) {
  return [log = std::move(log), coroutine = std::move(coroutine)](std::exception_ptr error) {
    if (!error) return;
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log->error(
        nlohmann::json{{"type", "coroutine_error"}, {"coroutine", coroutine}, {"error", what}}.dump(
            -1, ' ', false, nlohmann::json::error_handler_t::replace));
  };
}

bool is_sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// ServerContext

ServerContext::ServerContext(ServerConfig config_in, Router router_in)
    : config(std::move(config_in)),
      trusted_proxies(config.trusted_proxies),
      router(std::move(router_in)),
      blocking(config.blocking_threads),
      log(config.access_log ? config.access_log : spdlog::default_logger()) {}

ServerContext::Admit ServerContext::admit(const std::string& address) {
  // Health checks must get through when a client has taken every connection; a few extra
  // connections are read for them, never many (each costs a socket and a coroutine).
  const std::size_t limited_room = config.max_connections / 8 + 16;
  std::lock_guard lock(sessions_mutex);
  const auto it = per_address.find(address);
  const std::size_t mine = it == per_address.end() ? 0 : it->second;
  if (admitted < config.max_connections &&
      (mine < config.max_connections_per_address || is_trusted_proxy(address))) {
    return Admit::admitted;
  }
  return limited < limited_room ? Admit::limited : Admit::rejected;
}

bool ServerContext::is_trusted_proxy(const std::string& address) const {
  if (trusted_proxies.empty()) return false;
  boost::system::error_code ec;
  const auto parsed = boost::asio::ip::make_address(address, ec);
  return !ec && trusted_proxies.contains(parsed);
}

void ServerContext::add_session(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(sessions_mutex);
  sessions.emplace(session.get(), session);
  if (session->limited()) {
    ++limited;
  } else {
    ++admitted;
    ++per_address[session->address()];
  }
}

void ServerContext::remove_session(Session* session) {
  std::lock_guard lock(sessions_mutex);
  if (sessions.erase(session) == 0) return;
  if (session->limited()) {
    --limited;
    return;
  }
  --admitted;
  const auto it = per_address.find(session->address());
  if (it != per_address.end() && --it->second == 0) per_address.erase(it);
}

std::size_t ServerContext::session_count() {
  std::lock_guard lock(sessions_mutex);
  return sessions.size();
}

void ServerContext::stop_sessions(bool force) {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(sessions_mutex);
    for (auto& [raw, weak] : sessions) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  for (auto& session : live) {
    if (force) {
      session->force_close();
    } else {
      session->request_stop();
    }
  }
}

}  // namespace imagesprint::http::detail
