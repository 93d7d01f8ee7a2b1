// A session writes an event stream (Server-Sent Events): queued events batched into writes,
// heartbeats, the stream's lifetime, and a watcher for the client leaving.
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

net::awaitable<void> Session::write_events(Exchange& exchange, Response& response) {
  const SseBody body = *response.sse_body();
  exchange.keep_alive = false;  // the stream ends with the connection
  if (!body.channel) {
    auto error = Response::error(Status::internal_server_error, "internal", "no event source");
    error.set("X-Request-Id", exchange.request_id);
    co_await write_memory(exchange, error);
    co_return;
  }
  const bool chunked = exchange.version >= 11;
  error_code ec;
  co_await write_sse_head(exchange, response, chunked, ec);
  if (ec || exchange.head) {
    body.channel->close();
    co_return;
  }
  // What a stream holds for its whole life is what idle streams cost (bench/sse_idle.py): the
  // request's read buffer (64 KiB reserved, a page or more touched) is not needed any more, since
  // a client sends nothing on an event stream (the watcher drops whatever comes).
  buffer_.consume(buffer_.size());
  buffer_.shrink_to_fit();

  server_.metrics.sse_opened();
  // However this stream ends (or its frame is destroyed with the io_context), the channel lets go
  // of this connection's timer and strand: the producers keeping the channel may outlive both.
  struct Release {
    ServerMetrics& metrics;
    std::shared_ptr<EventChannel> channel;
    ~Release() {
      channel->release();
      metrics.sse_closed();
    }
  } release{server_.metrics, body.channel};
  phase_ = Phase::streaming;
  channel_ = body.channel;
  if (stop_requested_ || server_.stopping) channel_->close();
  // A read pending for the whole stream notices at once when the client leaves, instead of at
  // the next failed heartbeat write (two heartbeats later, with TCP's buffering).
  stream_.expires_never();
  net::co_spawn(executor_, watch_peer(body.channel), log_escape(server_.log, "sse_watch"));

  const auto heartbeat = body.heartbeat.value_or(server_.config.sse_heartbeat);
  bool open = co_await write_sse_bytes(
      exchange, format_sse_retry(body.retry.value_or(server_.config.sse_retry)), chunked);
  // A stream ends cleanly after its lifetime; the client reconnects with Last-Event-ID.
  const auto ends_at = Clock::now() + server_.config.sse_max_lifetime;
  while (open && !peer_gone_) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(ends_at - Clock::now());
    if (left.count() <= 0) body.channel->close();
    auto next = co_await body.channel->next(std::max(
        std::chrono::milliseconds(1), std::min<std::chrono::milliseconds>(heartbeat, left)));
    if (peer_gone_) break;
    switch (next.kind) {
      case EventChannel::Next::Kind::event: {
        // A burst (many images finishing together) goes out in one write, not one per event.
        auto bytes = format_sse_event(next.event);
        while (bytes.size() < SSE_BATCH_BYTES) {
          auto more = body.channel->try_next();
          if (!more) break;
          bytes += format_sse_event(*more);
        }
        open = co_await write_sse_bytes(exchange, bytes, chunked);
        break;
      }
      case EventChannel::Next::Kind::heartbeat:
        open = co_await write_sse_bytes(exchange, format_sse_comment("heartbeat"), chunked);
        break;
      case EventChannel::Next::Kind::closed:
        open = false;
        if (chunked) {  // a clean end: the last chunk tells the client nothing was lost
          stream_.expires_after(server_.config.write_timeout);
          co_await net::async_write(stream_, bhttp::make_chunk_last(), capture(ec));
        }
        break;
    }
  }
  channel_.reset();
  phase_ = Phase::handling;
}

// Its own coroutine so that the message and its serializer are freed once the header is out,
// instead of living in the stream's frame for hours.
net::awaitable<void> Session::write_sse_head(Exchange& exchange, const Response& response,
                                             bool chunked, error_code& ec) {
  bhttp::response<bhttp::empty_body> message;
  static_cast<Fields&>(message.base()) = response.headers();
  message.result(response.status());
  message.version(exchange.version);
  message.set(Field::content_type, "text/event-stream; charset=utf-8");
  message.set(Field::cache_control, "no-cache");
  message.set("X-Accel-Buffering", "no");  // nginx: pass each event on at once
  if (chunked) {
    message.chunked(true);
  } else {
    message.keep_alive(false);  // HTTP/1.0: the body ends when the connection does
  }
  exchange.status = static_cast<unsigned>(message.result());
  stream_.expires_after(server_.config.write_timeout);
  bhttp::response_serializer<bhttp::empty_body> serializer(message);
  co_await bhttp::async_write_header(stream_, serializer, capture(ec));
}

net::awaitable<bool> Session::write_sse_bytes(Exchange& exchange, const std::string& bytes,
                                              bool chunked) {
  stream_.expires_after(server_.config.write_timeout);
  error_code ec;
  if (chunked) {
    co_await net::async_write(stream_, bhttp::make_chunk(net::buffer(bytes)), capture(ec));
  } else {
    co_await net::async_write(stream_, net::buffer(bytes), capture(ec));
  }
  if (ec) co_return false;
  exchange.bytes_out += bytes.size();
  co_return true;
}

net::awaitable<void> Session::watch_peer(std::shared_ptr<EventChannel> channel) {
  const auto self = shared_from_this();
  std::array<char, 64> scratch{};  // in the frame for the stream's life: small
  for (;;) {
    error_code ec;
    // On the socket itself, not the tcp_stream: the stream's timeouts are for its writes, and
    // the first write's expires_after() can run before this read is pending, which would give
    // the watcher (and so the whole stream) the write timeout: streams ended after 30 s
    // (bench/load.py found it).
    co_await stream_.socket().async_read_some(net::buffer(scratch), capture(ec));
    if (ec) break;  // a client sends nothing on an event stream; whatever it sends is dropped
  }
  peer_gone_ = true;
  channel->close();  // wakes the writer
}

}  // namespace imagesprint::http::detail
