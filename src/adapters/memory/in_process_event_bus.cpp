#include "adapters/memory/in_process_event_bus.hpp"

namespace imagesprint {

class InProcessEventBus::Sub final : public Subscription {
 public:
  Sub(InProcessEventBus& bus, std::int64_t user, std::uint64_t token)
      : bus_(bus), user_(user), token_(token) {}
  ~Sub() override { bus_.unsubscribe(user_, token_); }

 private:
  InProcessEventBus& bus_;
  std::int64_t user_;
  std::uint64_t token_;
};

InProcessEventBus::InProcessEventBus(std::size_t history) : history_limit_(history) {}

InProcessEventBus::~InProcessEventBus() = default;

Event InProcessEventBus::publish(std::int64_t user_id, std::string job_id, std::string type,
                                 std::string data) {
  std::vector<Handler> handlers;
  Event event;
  const std::lock_guard delivery(delivery_);
  {
    const std::lock_guard lock(mutex_);
    event = Event{std::to_string(next_id_++), user_id, std::move(job_id), std::move(type),
                  std::move(data)};
    UserState& user = users_[user_id];
    user.history.push_back(event);
    if (user.history.size() > history_limit_) {
      user.dropped_through = event_sequence(user.history.front().id);
      user.history.pop_front();
    }
    for (const auto& [token, handler] : user.handlers) handlers.push_back(handler);
  }
  for (const Handler& handler : handlers) handler(event);
  return event;
}

std::unique_ptr<Subscription> InProcessEventBus::subscribe(std::int64_t user_id, Handler handler) {
  const std::lock_guard lock(mutex_);
  const std::uint64_t token = next_token_++;
  users_[user_id].handlers.emplace(token, std::move(handler));
  ++subscribers_;
  return std::make_unique<Sub>(*this, user_id, token);
}

void InProcessEventBus::unsubscribe(std::int64_t user_id, std::uint64_t token) {
  const std::lock_guard delivery(delivery_);
  const std::lock_guard lock(mutex_);
  auto user = users_.find(user_id);
  if (user != users_.end() && user->second.handlers.erase(token) > 0) --subscribers_;
}

std::optional<std::vector<Event>> InProcessEventBus::replay_after(std::int64_t user_id,
                                                                  const std::string& last_id) {
  const auto parsed = whole_number<std::uint64_t>(last_id);
  if (!parsed) return std::nullopt;
  const std::uint64_t last = *parsed;
  const std::lock_guard lock(mutex_);
  std::vector<Event> out;
  const auto user = users_.find(user_id);
  if (user == users_.end()) return out;
  // Complete only if nothing after `last` was trimmed away.
  if (last < user->second.dropped_through) return std::nullopt;
  for (const Event& e : user->second.history) {
    if (event_sequence(e.id) > last) out.push_back(e);
  }
  return out;
}

std::size_t InProcessEventBus::subscriber_count() const {
  const std::lock_guard lock(mutex_);
  return subscribers_;
}

}  // namespace imagesprint
