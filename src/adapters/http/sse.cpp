#include "adapters/http/sse.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace imagesprint::http {
namespace {

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  for (const char c : value) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
  out.push_back('\n');
}

}  // namespace

std::string format_sse_event(const SseEvent& event) {
  std::string out;
  out.reserve(event.data.size() + event.id.size() + event.event.size() + 32);
  if (!event.id.empty()) append_field(out, "id", event.id);
  if (!event.event.empty()) append_field(out, "event", event.event);
  // Every line of the payload gets its own "data:" field; the browser joins them with "\n".
  std::string_view rest = event.data;
  for (;;) {
    const auto end = rest.find_first_of("\r\n");
    out.append("data: ");
    out.append(rest.substr(0, end));
    out.push_back('\n');
    if (end == std::string_view::npos) break;
    const bool crlf = rest[end] == '\r' && end + 1 < rest.size() && rest[end + 1] == '\n';
    rest.remove_prefix(end + (crlf ? 2 : 1));
  }
  out.push_back('\n');
  return out;
}

std::string format_sse_comment(std::string_view text) {
  std::string out;
  append_field(out, "", text);  // ": text\n"
  out.push_back('\n');
  return out;
}

std::string format_sse_retry(std::chrono::milliseconds delay) {
  return "retry: " + std::to_string(delay.count()) + "\n\n";
}

EventChannel::EventChannel(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

bool EventChannel::push(SseEvent event) {
  std::unique_lock lock(mutex_);
  if (closed_) return false;
  if (queue_.size() >= capacity_) {
    close_locked(lock, true);
    return false;
  }
  queue_.push_back(std::move(event));
  wake_locked();
  return true;
}

void EventChannel::close() {
  std::unique_lock lock(mutex_);
  if (!closed_) close_locked(lock, false);
}

bool EventChannel::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

bool EventChannel::overflowed() const {
  std::lock_guard lock(mutex_);
  return overflowed_;
}

void EventChannel::on_close(std::function<void()> callback) {
  std::unique_lock lock(mutex_);
  if (!closed_) {
    on_close_ = std::move(callback);
    return;
  }
  lock.unlock();
  if (callback) callback();
}

void EventChannel::close_locked(std::unique_lock<std::mutex>& lock, bool overflow) {
  closed_ = true;
  overflowed_ = overflow;
  if (overflow) queue_.clear();  // the client reconnects and catches up; don't send a gap
  wake_locked();
  auto callback = std::move(on_close_);
  on_close_ = nullptr;
  lock.unlock();
  if (callback) callback();
}

void EventChannel::wake_locked() {
  if (!waiting_ || !consumer_) return;
  waiting_ = false;  // one wake-up per wait is enough
  // Timers are not thread-safe: the cancel runs on the consumer's executor (its strand).
  net::post(*consumer_, [self = shared_from_this()] {
    if (self->timer_) self->timer_->cancel();
  });
}

std::optional<SseEvent> EventChannel::try_next() {
  std::lock_guard lock(mutex_);
  if (queue_.empty()) return std::nullopt;
  auto event = std::move(queue_.front());
  queue_.pop_front();
  return event;
}

void EventChannel::release() {
  close();
  {
    std::lock_guard lock(mutex_);
    consumer_.reset();  // no more wake-ups posted to an executor that may go away
    waiting_ = false;
  }
  timer_.reset();
}

net::awaitable<EventChannel::Next> EventChannel::next(std::chrono::steady_clock::duration idle) {
  const auto executor = co_await net::this_coro::executor;
  if (!timer_) timer_ = std::make_unique<net::steady_timer>(executor);
  const auto deadline = std::chrono::steady_clock::now() + idle;
  for (;;) {
    Next next;
    bool ready = false;
    {
      std::lock_guard lock(mutex_);
      if (!queue_.empty()) {
        next.kind = Next::Kind::event;
        next.event = std::move(queue_.front());
        queue_.pop_front();
        ready = true;
      } else if (closed_) {
        next.kind = Next::Kind::closed;
        ready = true;
      } else if (std::chrono::steady_clock::now() >= deadline) {
        next.kind = Next::Kind::heartbeat;
        ready = true;
      } else {
        // Set under the lock: a producer that queues after this point sees waiting_ and posts
        // a cancel, which the strand runs only after async_wait below has started.
        waiting_ = true;
        consumer_ = executor;
      }
    }
    if (ready) co_return next;
    timer_->expires_at(deadline);
    boost::system::error_code ec;
    co_await timer_->async_wait(net::redirect_error(net::use_awaitable, ec));
    std::lock_guard lock(mutex_);
    waiting_ = false;
  }
}

}  // namespace imagesprint::http
