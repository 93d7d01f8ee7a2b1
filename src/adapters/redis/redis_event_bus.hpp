#pragma once
// EventBus on Redis (the distributed roles): each user's events go to a capped stream, and live
// delivery goes through Pub/Sub.
//
// Keys (prefix P, all under the hash tag "{P}"):
//   {P}:seq      STRING  the last event number given out, for every user
//   {P}:user:U   STREAM  user U's newest events (XADD MAXLEN ~ history; fields job, type, data);
//                        expires after stream_ttl without a new event
// Pub/Sub channel "{P}:live:U": user U's events as they are published.
//
// Ids: an event's id is its stream id "N-0", N from {P}:seq (one counter for the bus), so the
// id is the stream id (XRANGE replays after it) and ids increase across the whole bus: the SSE
// layer orders and de-duplicates events by the number before the dash, which Redis's own
// "ms-seq" ids would not allow (two events in one millisecond share the ms part).
//
// publish() is one script: INCR, XADD MAXLEN ~, PEXPIRE, PUBLISH, so the order of messages on a
// channel is the order of the ids. replay_after() reads XRANGE after the id in one script, and
// answers "gone" (nullopt) when the stream was trimmed past the id or the id is older than the
// newest `history` events (MAXLEN ~ may keep more than asked).
//
// Live delivery: ONE subscriber connection per bus object, on a thread of its own (never an
// HTTP IO thread). It SUBSCRIBEs to the channel of each user that has a subscriber in this
// process (UNSUBSCRIBE when the last one goes), and fans each message out to that user's local
// handlers only. subscribe() returns once Redis confirmed the channel, so an event published
// after it returns is delivered. The connection is watched with PING; when it fails, the thread
// reconnects with backoff, subscribes again, and catches up on what each user missed meanwhile
// from the user's stream (from the last event delivered, or from the bus's counter when the
// subscription began), skipping what was already delivered.
//
// Publishing while Redis cannot be reached: the event waits in a bounded outbox in this process
// (outbox_limit; past it the oldest waiting event is dropped and counted), publish() returns it
// with an empty id at once, and later events queue behind it, so one process's events keep their
// order. The subscriber thread publishes what waits as soon as Redis answers again; the events
// then get their ids and reach every subscriber, live or from the stream. (An error reply, not a
// lost connection, still throws: holding such an event would not help.)
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "adapters/redis/redis_client.hpp"
#include "domain/field_error.hpp"
#include "ports/event_bus.hpp"

namespace imagesprint::redis {

struct RedisEventBusConfig {
  static constexpr std::string_view DEFAULT_PREFIX = "imagesprint:events";
  static constexpr std::size_t DEFAULT_HISTORY = 1000;
  static constexpr std::chrono::milliseconds DEFAULT_STREAM_TTL{24LL * 3600 * 1000};
  static constexpr std::chrono::milliseconds DEFAULT_SUBSCRIBE_TIMEOUT{5'000};
  static constexpr std::chrono::milliseconds DEFAULT_HEALTH_INTERVAL{5'000};
  static constexpr std::chrono::milliseconds DEFAULT_RECONNECT_BASE_DELAY{100};
  static constexpr std::chrono::milliseconds DEFAULT_RECONNECT_MAX_DELAY{5'000};

  /// Where Redis is; used by the constructor that opens its own client, and by the subscriber
  /// connection in every case.
  RedisConnectionConfig connection;
  /// Key prefix: keys "{prefix}:...", channels "{prefix}:live:U". Not empty, no '{' or '}'.
  /// Default "imagesprint:events".
  std::string prefix = std::string(DEFAULT_PREFIX);
  /// Events kept per user for replay_after(), 1 to 1,000,000. Default 1000.
  std::size_t history = DEFAULT_HISTORY;
  /// How long a user's stream is kept after their last event. Default 24 h.
  std::chrono::milliseconds stream_ttl = DEFAULT_STREAM_TTL;
  /// How long subscribe() waits for Redis to confirm a new user's channel (not at all while the
  /// subscriber connection is down: the subscription then starts when it is back). Default 5 s.
  std::chrono::milliseconds subscribe_timeout = DEFAULT_SUBSCRIBE_TIMEOUT;
  /// A subscriber connection silent this long is sent a PING; no answer within the connection's
  /// command_timeout means it is dead and is replaced. Default 5 s.
  std::chrono::milliseconds health_interval = DEFAULT_HEALTH_INTERVAL;
  /// Backoff between reconnection attempts of the subscriber: doubles from base up to max.
  /// Defaults 100 ms and 5 s.
  std::chrono::milliseconds reconnect_base_delay = DEFAULT_RECONNECT_BASE_DELAY;
  std::chrono::milliseconds reconnect_max_delay = DEFAULT_RECONNECT_MAX_DELAY;
  /// Events held while Redis cannot be reached, published when it can; 0 = none (publish()
  /// throws instead). Default 10,000.
  std::size_t outbox_limit = 10'000;

  /// Every bad field, each by its name (never quoting a secret); the constructor refuses them.
  FieldErrors validate() const;
};

class RedisEventBus final : public EventBus {
 public:
  /// Opens its own connection pool from config.connection, and starts the subscriber thread.
  explicit RedisEventBus(RedisEventBusConfig config);
  /// Shares `client` (with the task queue, say) for publish and replay.
  RedisEventBus(std::shared_ptr<RedisClient> client, RedisEventBusConfig config);
  /// Stops the subscriber thread. Drop every Subscription first.
  ~RedisEventBus() override;
  RedisEventBus(const RedisEventBus&) = delete;
  RedisEventBus& operator=(const RedisEventBus&) = delete;

  Event publish(std::int64_t user_id, std::string job_id, std::string type,
                std::string data) override;
  /// The handler runs on the bus's subscriber thread.
  std::unique_ptr<Subscription> subscribe(std::int64_t user_id, Handler handler) override;
  std::optional<std::vector<Event>> replay_after(std::int64_t user_id,
                                                 const std::string& last_id) override;

  /// Whether Redis answers now (GET /readyz).
  bool ping();
  /// Whether the subscriber connection is up.
  bool listening() const;
  /// Current subscribers, all users (for metrics).
  std::size_t subscriber_count() const;
  /// Events waiting for Redis in the outbox, and those dropped from it (full) so far.
  std::size_t events_waiting() const;
  std::uint64_t events_dropped() const;

 private:
  class Sub;
  struct UserState {
    std::map<std::uint64_t, Handler> handlers;
    std::uint64_t last_number = 0;  // newest event number delivered (or the counter at start)
    bool know_last = false;         // last_number is known: a reconnect can catch up from it
    bool confirmed = false;         // Redis confirmed the channel on the current connection
  };
  /// What the thread asked Redis about one user's channel (the thread's alone).
  struct ChannelState {
    bool wanted = false;  // the last command sent was SUBSCRIBE
    int outstanding = 0;  // (UN)SUBSCRIBE replies not received yet
  };
  enum class Link { connecting, up, down };

  void unsubscribe(std::int64_t user_id, std::uint64_t token);
  void wake_thread();
  void run();
  void listen(RedisConnection& connection);
  void sync_channels(RedisConnection& connection);
  void on_reply(const RedisValue& reply);
  void catch_up(std::int64_t user_id);
  /// The publish script itself; throws StorageError (ConnectionError: Redis not reached).
  Event publish_now(std::int64_t user_id, std::string job_id, std::string type, std::string data);
  /// Publishes what waits in the outbox, oldest first (the subscriber thread); stops at the first
  /// failure, leaving the rest.
  void flush_outbox();
  void deliver(std::int64_t user_id, const Event& event);
  std::string channel(std::int64_t user_id) const;
  std::string stream_key(std::int64_t user_id) const;

  std::shared_ptr<RedisClient> client_;
  RedisEventBusConfig config_;
  std::string key_prefix_;  // "{prefix}:"
  RedisScript publish_script_;
  RedisScript replay_script_;
  /// An eventfd, closed with the bus: tells the thread that the users changed, or to stop.
  struct WakeFd {
    WakeFd();
    ~WakeFd();
    WakeFd(const WakeFd&) = delete;
    WakeFd& operator=(const WakeFd&) = delete;
    int fd = -1;
  };
  WakeFd wake_;

  mutable std::mutex mutex_;  // guards what follows, up to the thread's own state
  std::condition_variable changed_;
  std::map<std::int64_t, UserState> users_;
  std::uint64_t next_token_ = 1;
  std::size_t subscribers_ = 0;
  Link link_ = Link::connecting;
  bool stopping_ = false;
  // Handlers run outside mutex_; this lock makes unsubscribe wait for a running delivery, so a
  // handler never outlives its subscription (recursive: a handler may drop a subscription).
  std::recursive_mutex delivery_;

  /// Events waiting for Redis (see the top of this file).
  struct Held {
    std::int64_t user_id = 0;
    std::string job_id, type, data;
  };
  mutable std::mutex outbox_mutex_;
  std::deque<Held> outbox_;
  std::uint64_t dropped_ = 0;

  // The thread's own state.
  std::map<std::int64_t, ChannelState> channels_;
  std::set<std::int64_t> catch_up_;  // users to catch up once their channel is confirmed again
  std::chrono::steady_clock::time_point last_heard_;
  bool ping_outstanding_ = false;
  std::chrono::steady_clock::time_point ping_sent_;
  std::thread thread_;  // last: started when everything above is ready
};

}  // namespace imagesprint::redis
