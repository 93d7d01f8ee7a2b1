#include "adapters/redis/redis_event_bus.hpp"

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <stdexcept>

#include "adapters/redis/lua_scripts.hpp"
#include "domain/whole_number.hpp"

namespace imagesprint::redis {
namespace {

using Millis = std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

/// The number N of an event id "N-0" (or "N"); nullopt for anything else.
std::optional<std::uint64_t> event_number(std::string_view id) {
  const auto dash = id.find('-');
  const std::string_view number = id.substr(0, dash);
  if (dash != std::string_view::npos && id.substr(dash + 1) != "0") return std::nullopt;
  return whole_number<std::uint64_t>(number);
}

/// What follows the id in a published message: "<job length> <type length>\n" job type data.
std::string frame(const std::string& job, const std::string& type, const std::string& data) {
  return std::to_string(job.size()) + " " + std::to_string(type.size()) + "\n" + job + type + data;
}

/// A published message back into an event; nullopt when it is not one of ours.
std::optional<Event> unframe(std::int64_t user_id, std::string_view message) {
  const auto id_end = message.find('\n');
  if (id_end == std::string_view::npos) return std::nullopt;
  Event event;
  event.user_id = user_id;
  event.id = std::string(message.substr(0, id_end));
  std::string_view rest = message.substr(id_end + 1);
  const auto header_end = rest.find('\n');
  if (header_end == std::string_view::npos) return std::nullopt;
  const std::string_view header = rest.substr(0, header_end);
  rest.remove_prefix(header_end + 1);
  std::size_t job_size = 0, type_size = 0;
  const auto space = header.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto [a, ea] = std::from_chars(header.data(), header.data() + space, job_size);
  const auto [b, eb] =
      std::from_chars(header.data() + space + 1, header.data() + header.size(), type_size);
  if (ea != std::errc() || eb != std::errc() || job_size + type_size > rest.size()) {
    return std::nullopt;
  }
  event.job_id = std::string(rest.substr(0, job_size));
  event.type = std::string(rest.substr(job_size, type_size));
  event.data = std::string(rest.substr(job_size + type_size));
  return event;
}

/// Stream entries [id, [field, value ...]] as events.
std::vector<Event> to_events(std::int64_t user_id, const std::vector<RedisValue>& rows) {
  std::vector<Event> events;
  for (const RedisValue& row : rows) {
    if (row.elements.size() != 2) continue;
    Event e;
    e.id = row.elements[0].as_string();
    e.user_id = user_id;
    const auto& fields = row.elements[1].elements;
    for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
      const std::string name = fields[i].as_string();
      if (name == "job") e.job_id = fields[i + 1].as_string();
      if (name == "type") e.type = fields[i + 1].as_string();
      if (name == "data") e.data = fields[i + 1].as_string();
    }
    events.push_back(std::move(e));
  }
  return events;
}

}  // namespace

FieldErrors RedisEventBusConfig::validate() const {
  FieldErrors errors;
  const auto fail = [&errors](std::string_view field, std::string what) {
    errors.push_back({"RedisEventBusConfig." + std::string(field), std::move(what)});
  };

  if (prefix.empty() || prefix.find_first_of("{}") != std::string::npos) {
    fail("prefix", "expected a non-empty text without '{' or '}', got '" + prefix + "'");
  }
  if (history < 1 || history > 1'000'000) {
    fail("history", "expected 1 to 1000000 events, got " + std::to_string(history));
  }
  const auto positive = [&](std::string_view field, Millis value) {
    if (value.count() <= 0) {
      fail(field, "expected more than 0 ms, got " + std::to_string(value.count()));
    }
  };
  positive("stream_ttl", stream_ttl);
  positive("health_interval", health_interval);
  positive("reconnect_base_delay", reconnect_base_delay);
  if (subscribe_timeout.count() < 0) {
    fail("subscribe_timeout",
         "expected 0 ms or more, got " + std::to_string(subscribe_timeout.count()));
  }
  if (reconnect_max_delay < reconnect_base_delay) {
    fail("reconnect_max_delay", "expected at least reconnect_base_delay (" +
                                    std::to_string(reconnect_base_delay.count()) + " ms), got " +
                                    std::to_string(reconnect_max_delay.count()) + " ms");
  }
  return errors;
}

class RedisEventBus::Sub final : public Subscription {
 public:
  Sub(RedisEventBus& bus, std::int64_t user, std::uint64_t token)
      : bus_(bus), user_(user), token_(token) {}
  ~Sub() override { bus_.unsubscribe(user_, token_); }

 private:
  RedisEventBus& bus_;
  std::int64_t user_;
  std::uint64_t token_;
};

RedisEventBus::RedisEventBus(RedisEventBusConfig config)
    : RedisEventBus(std::make_shared<RedisClient>(config.connection), config) {}

RedisEventBus::RedisEventBus(std::shared_ptr<RedisClient> client, RedisEventBusConfig config)
    : client_(std::move(client)),
      config_(std::move(config)),
      publish_script_("events_publish", lua::events_script(lua::events_publish)),
      replay_script_("events_replay", lua::events_script(lua::events_replay)) {
  FieldErrors errors = config_.validate();
  for (FieldError& error : config_.connection.validate()) errors.push_back(std::move(error));
  refuse(errors);
  if (!client_) throw std::invalid_argument("RedisEventBus: no Redis client");
  key_prefix_ = "{" + config_.prefix + "}:";
  thread_ = std::thread([this] { run(); });
}

RedisEventBus::~RedisEventBus() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  wake_thread();
  thread_.join();
}

RedisEventBus::WakeFd::WakeFd() : fd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (fd < 0) throw StorageError("redis event bus: eventfd failed");
}

RedisEventBus::WakeFd::~WakeFd() {
  close(fd);
}

std::string RedisEventBus::channel(std::int64_t user_id) const {
  return key_prefix_ + "live:" + std::to_string(user_id);
}

std::string RedisEventBus::stream_key(std::int64_t user_id) const {
  return key_prefix_ + "user:" + std::to_string(user_id);
}

void RedisEventBus::wake_thread() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = write(wake_.fd, &one, sizeof one);
}

Event RedisEventBus::publish(std::int64_t user_id, std::string job_id, std::string type,
                             std::string data) {
  const auto hold = [&] {
    if (outbox_.size() >= config_.outbox_limit) {
      outbox_.pop_front();
      ++dropped_;
    }
    outbox_.push_back(Held{user_id, job_id, type, data});
    return Event{"", user_id, std::move(job_id), std::move(type), std::move(data)};
  };
  if (config_.outbox_limit > 0) {
    // Behind events already waiting: they go first, in order, when Redis is back.
    const std::lock_guard lock(outbox_mutex_);
    if (!outbox_.empty()) return hold();
  }
  try {
    return publish_now(user_id, job_id, type, data);
  } catch (const ConnectionError&) {
    if (config_.outbox_limit == 0) throw;
    const std::lock_guard lock(outbox_mutex_);
    return hold();
  }
}

Event RedisEventBus::publish_now(std::int64_t user_id, std::string job_id, std::string type,
                                 std::string data) {
  const std::vector<std::string> keys{key_prefix_ + "seq", stream_key(user_id)};
  const std::vector<std::string> args{std::to_string(config_.history),
                                      std::to_string(config_.stream_ttl.count()),
                                      channel(user_id),
                                      job_id,
                                      type,
                                      data,
                                      frame(job_id, type, data)};
  const RedisValue id = client_->eval(publish_script_, keys, args, "publish an event");
  return Event{id.as_string(), user_id, std::move(job_id), std::move(type), std::move(data)};
}

std::unique_ptr<Subscription> RedisEventBus::subscribe(std::int64_t user_id, Handler handler) {
  std::unique_lock lock(mutex_);
  if (users_.find(user_id) == users_.end()) {
    // Where a catch-up after a reconnect would start: the counter before the channel exists.
    lock.unlock();
    std::optional<std::uint64_t> counter;
    try {
      const RedisValue seq = client_->command({"GET", key_prefix_ + "seq"}, "read the counter");
      counter = seq.is_nil() ? 0 : static_cast<std::uint64_t>(seq.as_integer());
    } catch (const StorageError&) {
      // Redis is down: the subscription starts when it is back, without a catch-up.
    }
    lock.lock();
    const auto [user, inserted] = users_.try_emplace(user_id);
    if (inserted && counter) {
      user->second.last_number = *counter;
      user->second.know_last = true;
    }
  }
  UserState& user = users_[user_id];
  const std::uint64_t token = next_token_++;
  user.handlers.emplace(token, std::move(handler));
  ++subscribers_;
  auto subscription = std::make_unique<Sub>(*this, user_id, token);
  if (!user.confirmed) {
    wake_thread();
    // Not on the subscriber thread (a handler subscribing would wait for itself), and not while
    // the connection is down.
    if (std::this_thread::get_id() != thread_.get_id()) {
      changed_.wait_for(lock, config_.subscribe_timeout, [&] {
        const auto it = users_.find(user_id);
        return stopping_ || link_ == Link::down || it == users_.end() || it->second.confirmed;
      });
    }
  }
  return subscription;
}

void RedisEventBus::unsubscribe(std::int64_t user_id, std::uint64_t token) {
  const std::lock_guard delivery(delivery_);
  bool last = false;
  {
    const std::lock_guard lock(mutex_);
    const auto user = users_.find(user_id);
    if (user == users_.end() || user->second.handlers.erase(token) == 0) return;
    --subscribers_;
    if (user->second.handlers.empty()) {
      users_.erase(user);
      last = true;
    }
  }
  if (last) wake_thread();
}

std::optional<std::vector<Event>> RedisEventBus::replay_after(std::int64_t user_id,
                                                              const std::string& last_id) {
  const auto number = event_number(last_id);
  if (!number) return std::nullopt;
  const RedisValue reply = client_->eval(
      replay_script_, {stream_key(user_id)},
      {std::to_string(*number) + "-0", std::to_string(config_.history)}, "replay events");
  if (reply.type != RedisValue::Type::array || reply.elements.empty()) {
    throw StorageError("redis event bus: unexpected answer to replay");
  }
  if (reply.elements[0].as_integer() == 0) return std::nullopt;
  std::vector<Event> events;
  for (std::size_t i = 1; i + 3 < reply.elements.size(); i += 4) {
    events.push_back(Event{reply.elements[i].as_string(), user_id,
                           reply.elements[i + 1].as_string(), reply.elements[i + 2].as_string(),
                           reply.elements[i + 3].as_string()});
  }
  return events;
}

bool RedisEventBus::ping() {
  return client_->ping();
}

bool RedisEventBus::listening() const {
  const std::lock_guard lock(mutex_);
  return link_ == Link::up;
}

std::size_t RedisEventBus::subscriber_count() const {
  const std::lock_guard lock(mutex_);
  return subscribers_;
}

// ---- the subscriber thread ----

void RedisEventBus::run() {
  // Named for top -H and /proc/PID/task/*/comm (bench/sse_latency.py shows its CPU waits): every
  // live event of the process passes through this thread.
  ::pthread_setname_np(::pthread_self(), "redis-events");
  Millis backoff = config_.reconnect_base_delay;
  for (;;) {
    {
      const std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    try {
      RedisConnection connection(config_.connection);
      backoff = config_.reconnect_base_delay;
      channels_.clear();
      last_heard_ = SteadyClock::now();
      ping_outstanding_ = false;
      {
        const std::lock_guard lock(mutex_);
        link_ = Link::up;
        for (auto& [id, user] : users_) {
          user.confirmed = false;
          if (user.know_last) catch_up_.insert(id);
        }
      }
      listen(connection);  // returns when stopping; throws when the connection fails
      return;
    } catch (const StorageError&) {
      // Refused, closed or silent: try again after the backoff. Subscribers stay registered;
      // they are subscribed again and caught up on the next connection.
    }
    std::unique_lock lock(mutex_);
    link_ = Link::down;
    for (auto& [id, user] : users_) user.confirmed = false;
    changed_.notify_all();  // subscribe() calls waiting for a confirmation go on
    changed_.wait_for(lock, backoff, [&] { return stopping_; });
    backoff = std::min(backoff * 2, config_.reconnect_max_delay);
  }
}

void RedisEventBus::flush_outbox() {
  for (;;) {
    Held next;
    {
      const std::lock_guard lock(outbox_mutex_);
      if (outbox_.empty()) return;
      next = outbox_.front();
    }
    try {
      publish_now(next.user_id, next.job_id, next.type, next.data);
    } catch (const StorageError&) {
      return;  // still away (or refusing): the next turn tries again
    }
    // Only this thread takes from the front, so the front is still `next`.
    const std::lock_guard lock(outbox_mutex_);
    outbox_.pop_front();
  }
}

std::size_t RedisEventBus::events_waiting() const {
  const std::lock_guard lock(outbox_mutex_);
  return outbox_.size();
}

std::uint64_t RedisEventBus::events_dropped() const {
  const std::lock_guard lock(outbox_mutex_);
  return dropped_;
}

void RedisEventBus::listen(RedisConnection& connection) {
  const Millis poll_period = std::min(config_.health_interval, Millis(1000));
  bool users_changed = true;  // a new connection subscribes every user's channel
  for (;;) {
    {
      const std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    // Connected again: what was published meanwhile goes out first, oldest first.
    flush_outbox();
    if (users_changed) sync_channels(connection);
    users_changed = false;
    pollfd fds[2] = {{connection.fd(), POLLIN, 0}, {wake_.fd, POLLIN, 0}};
    const int ready = poll(fds, 2, static_cast<int>(poll_period.count()));
    if (ready < 0 && errno != EINTR) throw ConnectionError("poll failed");
    if (ready > 0 && (fds[1].revents & POLLIN) != 0) {
      std::uint64_t count = 0;
      [[maybe_unused]] const auto got = read(wake_.fd, &count, sizeof count);
      users_changed = true;
    }
    if (ready > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      for (const RedisValue& reply : connection.receive()) {
        last_heard_ = SteadyClock::now();
        ping_outstanding_ = false;
        on_reply(reply);
      }
    }
    const auto now = SteadyClock::now();
    if (ping_outstanding_) {
      if (now - ping_sent_ > config_.connection.command_timeout) {
        throw ConnectionError("the subscriber connection did not answer PING");
      }
    } else if (now - last_heard_ >= config_.health_interval) {
      connection.send({"PING"});
      ping_outstanding_ = true;
      ping_sent_ = now;
    }
  }
}

void RedisEventBus::sync_channels(RedisConnection& connection) {
  std::vector<std::string> subscribe{"SUBSCRIBE"};
  std::vector<std::string> unsubscribe{"UNSUBSCRIBE"};
  {
    const std::lock_guard lock(mutex_);
    for (auto& [id, user] : users_) {
      ChannelState& state = channels_[id];
      if (!state.wanted) {
        state.wanted = true;
        ++state.outstanding;
        subscribe.push_back(channel(id));
      } else if (state.outstanding == 0 && !user.confirmed) {
        user.confirmed = true;  // dropped and subscribed again before we unsubscribed: still live
        changed_.notify_all();
      }
    }
    for (auto& [id, state] : channels_) {
      if (state.wanted && users_.find(id) == users_.end()) {
        state.wanted = false;
        ++state.outstanding;
        unsubscribe.push_back(channel(id));
      }
    }
  }
  if (subscribe.size() > 1) connection.send(subscribe);
  if (unsubscribe.size() > 1) connection.send(unsubscribe);
}

void RedisEventBus::on_reply(const RedisValue& reply) {
  if (reply.type != RedisValue::Type::array || reply.elements.size() < 3) return;  // PONG
  const std::string kind = reply.elements[0].as_string();
  const std::string name = reply.elements[1].is_nil() ? "" : reply.elements[1].as_string();
  const std::string live = key_prefix_ + "live:";
  if (!name.starts_with(live)) return;
  std::int64_t user_id = 0;
  const auto [end, ec] =
      std::from_chars(name.data() + live.size(), name.data() + name.size(), user_id);
  if (ec != std::errc() || end != name.data() + name.size()) return;

  if (kind == "message") {
    if (auto event = unframe(user_id, reply.elements[2].as_string())) deliver(user_id, *event);
    return;
  }
  if (kind != "subscribe" && kind != "unsubscribe") return;
  const auto state = channels_.find(user_id);
  if (state == channels_.end()) return;
  if (--state->second.outstanding > 0) return;
  if (!state->second.wanted) {
    channels_.erase(state);
    return;
  }
  {
    const std::lock_guard lock(mutex_);
    const auto user = users_.find(user_id);
    if (user != users_.end()) user->second.confirmed = true;
  }
  changed_.notify_all();
  if (catch_up_.erase(user_id) > 0) catch_up(user_id);
}

void RedisEventBus::catch_up(std::int64_t user_id) {
  std::uint64_t from = 0;
  {
    const std::lock_guard lock(mutex_);
    const auto user = users_.find(user_id);
    if (user == users_.end() || !user->second.know_last) return;
    from = user->second.last_number;
  }
  try {
    const RedisValue rows =
        client_->command({"XRANGE", stream_key(user_id), "(" + std::to_string(from) + "-0", "+",
                          "COUNT", std::to_string(config_.history)},
                         "catch up on events");
    for (const Event& event : to_events(user_id, rows.elements)) deliver(user_id, event);
  } catch (const StorageError&) {
    // Down again: the next connection catches up (its user states still say from where).
    catch_up_.insert(user_id);
  }
}

void RedisEventBus::deliver(std::int64_t user_id, const Event& event) {
  const auto number = event_number(event.id);
  if (!number) return;
  const std::lock_guard delivery(delivery_);
  std::vector<Handler> handlers;
  {
    const std::lock_guard lock(mutex_);
    const auto user = users_.find(user_id);
    if (user == users_.end()) return;
    // Each event once, in order: a catch-up and the live channel may both carry it.
    if (user->second.know_last && *number <= user->second.last_number) return;
    user->second.last_number = *number;
    user->second.know_last = true;
    for (const auto& [token, handler] : user->second.handlers) handlers.push_back(handler);
  }
  for (const Handler& handler : handlers) handler(event);
}

}  // namespace imagesprint::redis
