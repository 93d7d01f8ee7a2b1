#include "adapters/redis/redis_task_queue.hpp"

#include <cstdio>
#include <random>
#include <stdexcept>

#include <unistd.h>

#include "adapters/redis/lua_scripts.hpp"
#include "domain/whole_number.hpp"

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
  const auto value = whole_number<long long>(text);
  if (!value) throw StorageError(std::string("redis task queue: bad ") + what + " '" + text + "'");
  return *value;
}

std::string known_kinds() {
  std::string kinds;
  for (const TaskKind kind : {TaskKind::convert, TaskKind::finalize}) {
    if (!kinds.empty()) kinds += ' ';
    kinds += to_string(kind);
  }
  return kinds;
}

/// This queue object's consumer name in the streams' consumer group: host, process and 32
/// random bits, so that two processes (or two objects in one) never share one.
std::string consumer_name() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::random_device random;
  char tail[16];
  std::snprintf(tail, sizeof tail, "%08x", random());
  return std::string(host) + "-" + std::to_string(getpid()) + "-" + tail;
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
  if (read_grace.count() <= 0) {
    fail("read_grace", "expected more than 0 ms, got " + std::to_string(read_grace.count()));
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
      consumer_(consumer_name()),
      enqueue_script_("queue_enqueue", lua::queue_script(lua::queue_enqueue)),
      lease_script_("queue_lease", lua::queue_script(lua::queue_lease)),
      begin_script_("queue_begin", lua::queue_script(lua::queue_begin)),
      ack_script_("queue_ack", lua::queue_script(lua::queue_ack)),
      nack_script_("queue_nack", lua::queue_script(lua::queue_nack)),
      extend_script_("queue_extend", lua::queue_script(lua::queue_extend)),
      depth_script_("queue_depth", lua::queue_script(lua::queue_depth)) {
  refuse(config_.validate());
  if (!client_) throw std::invalid_argument("RedisTaskQueue: no Redis client");
  key_prefix_ = "{" + config_.prefix + "}:";
  for (const TaskKind kind : {TaskKind::convert, TaskKind::finalize}) {
    streams_.push_back(key_prefix_ + "stream:" + std::string(to_string(kind)));
  }
}

std::vector<std::string> RedisTaskQueue::script_args() const {
  return {key_prefix_, config_.clock ? std::to_string(config_.clock()) : std::string(),
          known_kinds_};
}

std::vector<std::string> RedisTaskQueue::queue_keys() const {
  const std::string& p = key_prefix_;
  return {p + "seq",         p + "groups",       p + "turn",    p + "tokens",  p + "errors",
          p + "leases",      p + "task_count",   p + "ahead",   p + "dead",    p + "dead:due",
          p + "dead:tokens", p + "dead:entries", p + "entries", p + "reading", p + "group_tasks"};
}

void RedisTaskQueue::make_streams() {
  for (const std::string& stream : streams_) {
    try {
      client_->command({"XGROUP", "CREATE", stream, "workers", "0", "MKSTREAM"}, "create stream");
    } catch (const ConnectionError&) {
      throw;
    } catch (const StorageError& e) {
      if (std::string_view(e.what()).find("BUSYGROUP") == std::string_view::npos) throw;
    }
  }
}

int RedisTaskQueue::enqueue_batch(const std::vector<Task>& tasks) {
  if (tasks.empty()) return 0;
  std::vector<std::string> keys = queue_keys();
  std::vector<std::string> args = script_args();
  args.push_back(std::to_string(config_.dedupe_ttl.count()));
  args.push_back(std::to_string(config_.max_in_flight_per_group));
  args.push_back(std::to_string(tasks.size()));
  keys.reserve(keys.size() + tasks.size());
  args.reserve(args.size() + 6 * tasks.size());
  for (const Task& task : tasks) {
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

Delivery RedisTaskQueue::to_delivery(const RedisValue& reply, const std::string& token) const {
  const auto field = [&](std::size_t i) { return reply.elements[i].as_string(); };
  Delivery d;
  d.dead_lettered = field(0) == "dead";
  d.id = field(1);
  d.lease_token = token;
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

std::optional<std::pair<std::string, std::string>> RedisTaskQueue::read_group(Millis block) {
  std::vector<std::string> argv{"XREADGROUP", "GROUP", "workers", consumer_, "COUNT", "1"};
  if (block > Millis::zero()) {
    argv.emplace_back("BLOCK");
    argv.push_back(std::to_string(block.count()));
  }
  argv.emplace_back("STREAMS");
  argv.insert(argv.end(), streams_.begin(), streams_.end());
  argv.insert(argv.end(), streams_.size(), ">");
  RedisValue reply;
  try {
    reply = client_->blocking_command(argv, block, "read a task");
  } catch (const ConnectionError&) {
    throw;
  } catch (const StorageError& e) {
    // The streams are made on first use; a queue that never had a task (or whose keys were
    // deleted) has none yet.
    if (std::string_view(e.what()).find("NOGROUP") == std::string_view::npos) throw;
    make_streams();
    reply = client_->blocking_command(argv, block, "read a task");
  }
  // [[stream, [[id, [field, value ...]]]] ...], or nil when the wait ended with nothing.
  for (const RedisValue& stream : reply.elements) {
    if (stream.elements.size() != 2 || stream.elements[1].elements.empty()) continue;
    const std::string name = stream.elements[0].as_string();
    const std::string id = stream.elements[1].elements[0].elements.at(0).as_string();
    return std::pair{name.substr(key_prefix_.size() + std::string_view("stream:").size()), id};
  }
  return std::nullopt;
}

std::optional<Delivery> RedisTaskQueue::lease(Millis lease, Millis wait) {
  if (lease <= Millis::zero()) throw std::invalid_argument("lease must be positive");
  if (wait < Millis::zero()) throw std::invalid_argument("wait must not be negative");
  const auto deadline = std::chrono::steady_clock::now() + wait;
  // Consumers idle for an hour with nothing pending are deleted, at most once a minute per
  // queue object.
  const auto now_ms =
      std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now().time_since_epoch())
          .count();
  std::int64_t last = last_tidy_ms_.load();
  const bool tidy = now_ms - last >= 60'000 && last_tidy_ms_.compare_exchange_strong(last, now_ms);
  for (int round = 0;; ++round) {
    const std::string token = new_lease_token();
    std::vector<std::string> args = script_args();
    args.insert(
        args.end(),
        {std::to_string(lease.count()), token, std::to_string(config_.max_deliveries),
         std::to_string(config_.max_in_flight_per_group),
         std::to_string(config_.dedupe_ttl.count()), std::string(LEASE_EXPIRED_ERROR), consumer_,
         std::to_string(config_.read_grace.count()), tidy && round == 0 ? "1" : "0"});
    const RedisValue step = client_->eval(lease_script_, queue_keys(), args, "lease");
    if (step.type == RedisValue::Type::array && step.elements.size() == 11) {
      return to_delivery(step, token);
    }
    const bool fed = step.type == RedisValue::Type::array && step.elements.size() == 1;
    if (!fed && !step.is_nil()) throw StorageError("redis task queue: unexpected answer to lease");
    // Compared before rounding down to whole milliseconds: rounded first, the last fraction of a
    // millisecond of the wait would count as none, and lease() could give up before `wait`.
    const auto remaining = deadline - std::chrono::steady_clock::now();
    Millis block{0};
    if (!fed) {
      if (remaining <= std::chrono::steady_clock::duration::zero()) return std::nullopt;
      block = std::min(std::max(std::chrono::duration_cast<Millis>(remaining), Millis(1)),
                       config_.poll_interval);
    } else if (wait == Millis::zero() && round >= 3) {
      return std::nullopt;  // another consumer keeps taking the entry fed for this one
    }
    // Woken by an entry fed to a stream (a new task next in turn, or a nudge), or after the
    // block to look again for leases that ran out and nacks that fell due.
    const auto entry = read_group(block);
    if (!entry) continue;
    std::vector<std::string> begin = script_args();
    begin.insert(begin.end(), {entry->second, entry->first, std::to_string(lease.count()), token,
                               std::to_string(config_.max_in_flight_per_group),
                               std::to_string(config_.dedupe_ttl.count()), consumer_});
    const RedisValue begun = client_->eval(begin_script_, queue_keys(), begin, "begin lease");
    if (begun.type == RedisValue::Type::array && begun.elements.size() == 11) {
      return to_delivery(begun, token);
    }
    // A nudge, or an entry found abandoned meanwhile: look again.
  }
}

bool RedisTaskQueue::ack(const Delivery& delivery) {
  if (!is_task_id(delivery.id)) return false;
  std::vector<std::string> args = script_args();
  args.insert(args.end(),
              {delivery.id, delivery.lease_token, delivery.dead_lettered ? "1" : "0",
               delivery.task.dedupe_key, std::to_string(config_.max_in_flight_per_group)});
  return client_->eval(ack_script_, queue_keys(), args, "ack").as_integer() == 1;
}

bool RedisTaskQueue::nack(const Delivery& delivery, std::string_view error, Millis delay) {
  if (delay < Millis::zero()) throw std::invalid_argument("nack delay must not be negative");
  if (!is_task_id(delivery.id)) return false;
  std::vector<std::string> args = script_args();
  args.insert(args.end(), {delivery.id, delivery.lease_token, delivery.dead_lettered ? "1" : "0",
                           std::string(error), std::to_string(delay.count()),
                           std::to_string(config_.max_deliveries),
                           std::to_string(config_.max_in_flight_per_group), consumer_});
  return client_->eval(nack_script_, queue_keys(), args, "nack").as_integer() == 1;
}

bool RedisTaskQueue::extend_lease(Delivery& delivery, Millis lease) {
  if (lease <= Millis::zero()) throw std::invalid_argument("lease must be positive");
  if (!is_task_id(delivery.id)) return false;
  std::vector<std::string> args = script_args();
  args.insert(args.end(), {delivery.id, delivery.lease_token, delivery.dead_lettered ? "1" : "0",
                           std::to_string(lease.count()), consumer_});
  const long long until =
      client_->eval(extend_script_, queue_keys(), args, "extend lease").as_integer();
  if (until == 0) return false;
  delivery.lease_expires_at = until;
  return true;
}

QueueDepth RedisTaskQueue::depth() {
  const RedisValue reply = client_->eval(depth_script_, queue_keys(), script_args(), "depth");
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
