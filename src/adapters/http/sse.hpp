#pragma once
// Server-Sent Events: the wire format and the channel a handler fills from any thread.
//
// A handler that streams events creates an EventChannel, hands it to whoever produces events
// (the EventBus later), and returns Response::sse(channel). The connection's coroutine then waits
// on the channel: no thread per stream, only a suspended coroutine and a timer.
#include "adapters/http/http_types.hpp"

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace imagesprint::http {

struct SseEvent {
  std::string id;     // "id:" line, what the browser sends back as Last-Event-ID; empty = none
  std::string event;  // "event:" line (the event type); empty = the default "message"
  std::string data;   // the payload; may span lines, each becomes its own "data:" line
};

/// "id: 7\nevent: progress\ndata: {...}\n\n". CR and LF are removed from id and event (they
/// would end the field); data is split on CRLF, CR and LF as the SSE grammar defines lines.
std::string format_sse_event(const SseEvent& event);
/// ": text\n\n", a comment the browser ignores: keeps proxies and NAT tables from timing out.
std::string format_sse_comment(std::string_view text);
/// "retry: 3000\n\n": how long the browser waits before reconnecting.
std::string format_sse_retry(std::chrono::milliseconds delay);

/// A bounded multi-producer, single-consumer queue of events for one SSE connection.
/// Producers (any thread): push(), close(). The consumer is the connection's coroutine: next().
/// When a slow client lets the queue fill up, the channel closes instead of growing without
/// bound: the browser reconnects with Last-Event-ID and catches up from the store.
class EventChannel : public std::enable_shared_from_this<EventChannel> {
 public:
  static constexpr std::size_t DEFAULT_CAPACITY = 1024;  // events queued before overflow

  /// Use std::make_shared: the channel posts wake-ups that keep it alive.
  explicit EventChannel(std::size_t capacity = DEFAULT_CAPACITY);
  EventChannel(const EventChannel&) = delete;
  EventChannel& operator=(const EventChannel&) = delete;

  /// Queues an event (any thread). False when the channel is closed (client gone, server
  /// stopping, overflow): the producer should drop its subscription.
  bool push(SseEvent event);
  /// Ends the stream once the queued events are written (any thread; idempotent).
  void close();
  bool closed() const;
  /// Whether the channel closed because the queue overflowed.
  bool overflowed() const;
  /// Calls `callback` once when the channel closes, whoever closes it (at once if already closed);
  /// runs on the closing thread, so keep it short (unsubscribe from a bus, say).
  void on_close(std::function<void()> callback);

  /// What the consumer gets from next().
  struct Next {
    enum class Kind { event, heartbeat, closed };
    Kind kind = Kind::closed;
    SseEvent event;  // set when kind == event
  };
  /// Consumer side: the next queued event; `heartbeat` when nothing came for `idle`; `closed`
  /// when the channel is closed and drained. Must always be awaited from the same executor.
  net::awaitable<Next> next(std::chrono::steady_clock::duration idle);
  /// Consumer side, without waiting: the next queued event, if any (to write a burst at once).
  std::optional<SseEvent> try_next();
  /// Consumer side, on the consumer's executor, when the stream is over: closes the channel and
  /// drops the timer and executor, which belong to an io_context that producers (holding the
  /// channel) may outlive. Later pushes only return false.
  void release();

 private:
  void close_locked(std::unique_lock<std::mutex>& lock, bool overflow);
  void wake_locked();

  mutable std::mutex mutex_;
  const std::size_t capacity_;
  // A list, not a deque: libstdc++'s deque allocates ~600 bytes even when empty, and an idle
  // stream's queue is empty for hours (bench/sse_idle.py).
  std::list<SseEvent> queue_;
  bool closed_ = false;
  bool overflowed_ = false;
  bool waiting_ = false;                          // the consumer waits on timer_
  std::optional<net::any_io_executor> consumer_;  // where the consumer runs (wake-ups go there)
  std::function<void()> on_close_;
  std::unique_ptr<net::steady_timer> timer_;  // only touched on the consumer's executor
};

}  // namespace imagesprint::http
