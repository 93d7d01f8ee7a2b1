#pragma once
// EventBus inside one process (the embedded `serve`): fan-out under a mutex, and a bounded
// history per user for Last-Event-ID resumes.
#include <deque>
#include <map>
#include <mutex>

#include "ports/event_bus.hpp"

namespace imagesprint {

class InProcessEventBus final : public EventBus {
 public:
  /// `history` events are kept per user for replays.
  explicit InProcessEventBus(std::size_t history = DEFAULT_HISTORY);
  ~InProcessEventBus() override;

  Event publish(std::int64_t user_id, std::string job_id, std::string type,
                std::string data) override;
  std::unique_ptr<Subscription> subscribe(std::int64_t user_id, Handler handler) override;
  std::optional<std::vector<Event>> replay_after(std::int64_t user_id,
                                                 const std::string& last_id) override;

  /// Current subscribers, all users (for metrics).
  std::size_t subscriber_count() const;

  static constexpr std::size_t DEFAULT_HISTORY = 1000;

 private:
  class Sub;
  struct UserState {
    std::deque<Event> history;
    std::uint64_t dropped_through = 0;  // id of the newest event trimmed from history
    std::map<std::uint64_t, Handler> handlers;
  };
  void unsubscribe(std::int64_t user_id, std::uint64_t token);

  std::size_t history_limit_;
  mutable std::mutex mutex_;  // guards everything below
  std::map<std::int64_t, UserState> users_;
  std::uint64_t next_id_ = 1;     // event ids: one counter for the bus
  std::uint64_t next_token_ = 1;  // subscription tokens
  std::size_t subscribers_ = 0;
  // Handlers run outside mutex_ (a handler may publish); this lock makes unsubscribe wait for a
  // running delivery, so a handler never outlives its subscription.
  mutable std::recursive_mutex delivery_;
};

}  // namespace imagesprint
