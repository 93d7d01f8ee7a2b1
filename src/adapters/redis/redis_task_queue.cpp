#include "adapters/redis/redis_task_queue.hpp"

#include <charconv>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <thread>

#include "adapters/redis/lua_scripts.hpp"

namespace imagesprint::redis {
namespace {

/// 128 random bits as hex; fresh from the device each time, so forked processes differ too.
std::string new_lease_token() {
  std::random_device random;
  char text[33];
  std::snprintf(text, sizeof text, "%08x%08x%08x%08x", random(), random(), random(), random());
  return text;
}

/// A stream id "ms-seq", as the queue gives out.
bool is_task_id(std::string_view id) {
  const auto dash = id.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == id.size()) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (i != dash && (id[i] < '0' || id[i] > '9')) return false;
  }
  return id.size() <= 41;
}

long long to_number(const std::string& text, const char* what) {
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw StorageError(std::string("redis task queue: bad ") + what + " '" + text + "'");
  }
  return value;
}

std::string known_kinds() {
  std::string kinds;
  for (const TaskKind kind : {TaskKind::convert, TaskKind::finalize}) {
    if (!kinds.empty()) kinds += ' ';
    kinds += to_string(kind);
  }
  return kinds;
}

}  // namespace

FieldErrors RedisTaskQueueConfig::validate() const {
  FieldErrors errors;
  const auto fail = [&errors](std::string_view field, std::string what) {
    errors.push_back({"RedisTaskQueueConfig." + std::string(field), std::move(what)});
  };

  if (prefix.empty() || prefix.find_first_of("{}") != std::string::npos) {
    fail("prefix", "expected a non-empty text without '{' or '}', got '" + prefix + "'");
  }
  if (max_deliveries < 1) {
    fail("max_deliveries", "expected at least 1, got " + std::to_string(max_deliveries));
  }
  if (max_in_flight_per_group < 0) {
    fail("max_in_flight_per_group",
         "expected 0 (no cap) or more, got " + std::to_string(max_in_flight_per_group));
  }
  if (poll_interval.count() <= 0) {
    fail("poll_interval", "expected more than 0 ms, got " + std::to_string(poll_interval.count()));
  }
  if (dedupe_ttl.count() <= 0) {
    fail("dedupe_ttl", "expected more than 0 ms, got " + std::to_string(dedupe_ttl.count()));
  }
  return errors;
}

RedisTaskQueue::RedisTaskQueue(RedisTaskQueueConfig config)
    : RedisTaskQueue(std::make_shared<RedisClient>(config.connection), config) {}

RedisTaskQueue::RedisTaskQueue(std::shared_ptr<RedisClient> client, RedisTaskQueueConfig config)
    : client_(std::move(client)),
      config_(std::move(config)),
      known_kinds_(known_kinds()),
      enqueue_script_("queue_enqueue", lua::queue_script(lua::queue_enqueue)),
      lease_script_("queue_lease", lua::queue_script(lua::queue_lease)),
      ack_script_("queue_ack", lua::queue_script(lua::queue_ack)),
      nack_script_("queue_nack", lua::queue_script(lua::queue_nack)),
      extend_script_("queue_extend", lua::queue_script(lua::queue_extend)),
      depth_script_("queue_depth", lua::queue_script(lua::queue_depth)) {
  refuse(config_.validate());
  if (!client_) throw std::invalid_argument("RedisTaskQueue: no Redis client");
  key_prefix_ = "{" + config_.prefix + "}:";
}

std::string RedisTaskQueue::now_arg() const {
  return config_.clock ? std::to_string(config_.clock()) : std::string();
}

std::vector<std::string> RedisTaskQueue::queue_keys() const {
  const std::string& p = key_prefix_;
  return {p + "last_id", p + "groups",   p + "turn",        p + "tokens",
          p + "errors",  p + "leases",   p + "task_count",  p + "wake",
          p + "dead",    p + "dead:due", p + "dead:tokens", p + "dead:entries"};
}

std::vector<std::string> RedisTaskQueue::group_keys(const Delivery& delivery) const {
  std::vector<std::string> keys = queue_keys();
  const std::string& g = delivery.task.group;
  keys.push_back(key_prefix_ + "stream:" + g);
  keys.push_back(key_prefix_ + "leased:" + g);
  keys.push_back(key_prefix_ + "delayed:" + g);
  keys.push_back(key_prefix_ + "dedupe:" + delivery.task.dedupe_key);
  return keys;
}

int RedisTaskQueue::enqueue_batch(const std::vector<Task>& tasks) {
  if (tasks.empty()) return 0;
  std::vector<std::string> keys = queue_keys();
  std::vector<std::string> args{key_prefix_, now_arg(), std::to_string(config_.dedupe_ttl.count()),
                                std::to_string(tasks.size())};
  keys.reserve(keys.size() + 2 * tasks.size());
  args.reserve(args.size() + 6 * tasks.size());
  for (const Task& task : tasks) {
    keys.push_back(key_prefix_ + "stream:" + task.group);
    keys.push_back(key_prefix_ + "dedupe:" + task.dedupe_key);
    args.push_back(task.group);
    args.emplace_back(to_string(task.kind));
    args.push_back(task.job_id);
    args.push_back(std::to_string(task.image_index));
    args.push_back(task.payload);
    args.push_back(task.dedupe_key);
  }
  const RedisValue added = client_->eval(enqueue_script_, keys, args, "enqueue");
  return static_cast<int>(added.as_integer());
}

std::optional<Delivery> RedisTaskQueue::lease(Millis lease, Millis wait) {
  if (lease <= Millis::zero()) throw std::invalid_argument("lease must be positive");
  if (wait < Millis::zero()) throw std::invalid_argument("wait must not be negative");
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    if (auto delivery = try_lease(lease)) return delivery;
    // Compared before rounding down to whole milliseconds: rounded first, the last fraction of a
    // millisecond of the wait would count as none, and lease() could give up before `wait`.
    const auto remaining = deadline - std::chrono::steady_clock::now();
    if (remaining <= std::chrono::steady_clock::duration::zero()) return std::nullopt;
    const auto left = std::chrono::duration_cast<Millis>(remaining);
    if (left < Millis(2)) {
      std::this_thread::sleep_for(remaining);  // BLPOP's timeout has whole milliseconds
      continue;
    }
    // Woken by a push to {P}:wake (an enqueue, a nack due now, an ack under a cap), or after
    // poll_interval to look for leases that ran out and nacked tasks that fell due.
    client_->blocking_pop(key_prefix_ + "wake", std::min(left, config_.poll_interval),
                          "wait for a task");
  }
}

std::optional<Delivery> RedisTaskQueue::try_lease(Millis lease) {
  const std::vector<std::string> args{key_prefix_,
                                      now_arg(),
                                      std::to_string(lease.count()),
                                      new_lease_token(),
                                      std::to_string(config_.max_deliveries),
                                      std::to_string(config_.max_in_flight_per_group),
                                      std::to_string(config_.dedupe_ttl.count()),
                                      std::string(LEASE_EXPIRED_ERROR),
                                      known_kinds_};
  const RedisValue reply = client_->eval(lease_script_, queue_keys(), args, "lease");
  if (reply.is_nil()) return std::nullopt;
  if (reply.type != RedisValue::Type::array || reply.elements.size() != 11) {
    throw StorageError("redis task queue: unexpected answer to lease");
  }
  const auto field = [&](std::size_t i) { return reply.elements[i].as_string(); };
  Delivery d;
  d.dead_lettered = field(0) == "dead";
  d.id = field(1);
  d.lease_token = args[3];
  d.delivery_count = static_cast<int>(to_number(field(2), "delivery count"));
  d.lease_expires_at = to_number(field(3), "lease end");
  d.last_error = field(4);
  const std::string kind = field(5);
  const auto parsed = parse_task_kind(kind);
  if (!parsed) throw StorageError("redis task queue: unknown task kind '" + kind + "'");
  d.task.kind = *parsed;
  d.task.job_id = field(6);
  d.task.image_index = static_cast<int>(to_number(field(7), "image index"));
  d.task.payload = field(8);
  d.task.dedupe_key = field(9);
  d.task.group = field(10);
  return d;
}

bool RedisTaskQueue::ack(const Delivery& delivery) {
  if (!is_task_id(delivery.id)) return false;
  const std::vector<std::string> args{key_prefix_,
                                      now_arg(),
                                      delivery.id,
                                      delivery.lease_token,
                                      delivery.dead_lettered ? "1" : "0",
                                      delivery.task.group,
                                      delivery.task.dedupe_key,
                                      config_.max_in_flight_per_group > 0 ? "1" : "0"};
  return client_->eval(ack_script_, group_keys(delivery), args, "ack").as_integer() == 1;
}

bool RedisTaskQueue::nack(const Delivery& delivery, std::string_view error, Millis delay) {
  if (delay < Millis::zero()) throw std::invalid_argument("nack delay must not be negative");
  if (!is_task_id(delivery.id)) return false;
  const std::vector<std::string> args{key_prefix_,
                                      now_arg(),
                                      delivery.id,
                                      delivery.lease_token,
                                      delivery.dead_lettered ? "1" : "0",
                                      std::string(error),
                                      std::to_string(delay.count()),
                                      std::to_string(config_.max_deliveries)};
  return client_->eval(nack_script_, group_keys(delivery), args, "nack").as_integer() == 1;
}

bool RedisTaskQueue::extend_lease(Delivery& delivery, Millis lease) {
  if (lease <= Millis::zero()) throw std::invalid_argument("lease must be positive");
  if (!is_task_id(delivery.id)) return false;
  const std::vector<std::string> args{key_prefix_,
                                      now_arg(),
                                      delivery.id,
                                      delivery.lease_token,
                                      delivery.dead_lettered ? "1" : "0",
                                      std::to_string(lease.count())};
  const long long until =
      client_->eval(extend_script_, group_keys(delivery), args, "extend lease").as_integer();
  if (until == 0) return false;
  delivery.lease_expires_at = until;
  return true;
}

QueueDepth RedisTaskQueue::depth() {
  const RedisValue reply =
      client_->eval(depth_script_, queue_keys(), {key_prefix_, now_arg()}, "depth");
  if (reply.type != RedisValue::Type::array || reply.elements.size() != 3) {
    throw StorageError("redis task queue: unexpected answer to depth");
  }
  QueueDepth depth;
  depth.waiting = reply.elements[0].as_integer();
  depth.in_flight = reply.elements[1].as_integer();
  depth.dead_letters = reply.elements[2].as_integer();
  return depth;
}

bool RedisTaskQueue::ping() {
  return client_->ping();
}

}  // namespace imagesprint::redis
