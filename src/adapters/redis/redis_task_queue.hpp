#pragma once
// TaskQueue on Redis Streams (the distributed roles). The contract is the port's
// (ports/task_queue.hpp); how it is kept here:
//
// Key layout (prefix P; every key starts with the hash tag "{P}", so a queue lives in one
// Redis Cluster slot and every script touches one slot):
//   {P}:stream:K      STREAM  kind K's tasks (convert, finalize), consumer group "workers". Entry
//                             fields: kind, job, image, payload, dedupe, group, n. The entry id
//                             is the task id (Delivery::id) from its first delivery on.
//   {P}:waiting:G     ZSET    group G's new tasks (task number -> time enqueued)
//   {P}:task:N        HASH    a new task's fields, until its lease begins
//   {P}:leased:G      ZSET    task id -> lease end, for G's leases (running, or run out)
//   {P}:delayed:G     ZSET    task id -> due time, for G's nacked tasks
//   {P}:groups        ZSET    group -> its turn (see fairness below)
//   {P}:group_tasks   HASH    group -> its tasks in the queue
//   {P}:turn          STRING  lease counter
//   {P}:seq           STRING  last task number given out
//   {P}:ahead         HASH    the one entry fed to a stream and not begun yet
//   {P}:reading       ZSET    entries read (XREADGROUP) whose lease has not begun yet
//   {P}:entries       HASH    task id -> "kind group number", for the entries read
//   {P}:tokens        HASH    task id -> lease token
//   {P}:errors        HASH    task id -> last error
//   {P}:leases        ZSET    task id -> lease end, all groups (depth's in_flight)
//   {P}:task_count    STRING  tasks in the queue
//   {P}:dedupe:D      STRING  -> the task holding dedupe key D (SET NX PX dedupe_ttl)
//   {P}:dead          STREAM  every dead letter (task fields + task, deliveries, error, dead_at)
//   {P}:dead:due      ZSET    task id -> when its unrecorded dead letter is next handed over
//   {P}:dead:tokens   HASH    task id -> its hand-over lease's token
//   {P}:dead:entries  HASH    task id -> its entry id in {P}:dead, until the failure is recorded
// Every step that touches more than one key is one Lua script (lua/queue_*.lua, KEYS and ARGV
// documented at the top of each); the time is the caller's clock when one is configured (passed
// as ARGV, as BullMQ does, so tests can move time by hand), else Redis's TIME (one clock for
// every process).
//
// A lease, in two steps: the lease script hands over a dead letter, or claims back a task whose
// lease ran out or whose nack is due, with XAUTOCLAIM (the pending-entries list counts the
// delivery; that count is Delivery::delivery_count); otherwise the caller waits in
// XREADGROUP ... BLOCK on the kinds' streams, and the entry it is handed begins its lease in a
// second script. XACK (and XDEL) only when the use case acknowledges, after its outcome is
// committed. A lease's end is kept in the entry's idle time: each lease, extension (XCLAIM ...
// JUSTID, the same consumer) and nack sets its delivery time (XCLAIM ... TIME) so that the entry
// is idle enough for XAUTOCLAIM exactly when the lease ends or the nack is due; leases have a
// length per call, and one XAUTOCLAIM min-idle-time serves them all. The queue's sorted sets
// choose which task goes next; XAUTOCLAIM refuses one whose lease Redis does not see ended.
// After max_deliveries, the entry moves to {P}:dead: XADD there, XACK + XDEL here, in one
// script; its failure is then handed over from {P}:dead:due like a lease (ack records it, and
// its entry stays in {P}:dead).
//
// Fairness. XREADGROUP hands out entries in id order, so if every task went into its stream
// when enqueued, one user's 50 images would come before another's one. So a stream holds at
// most one entry not yet read: the next task in the fair order, fed by the script of every
// change (enqueue, lease, ack, nack) and taken back when the order changes. Until then a task
// waits in its group's sorted set. {P}:groups orders the groups: a group's score is the lease
// counter at its last lease, or, never served, -2^50 + its first task's time (those come first,
// oldest work first). The next task is the first group's, in that order, with an available task
// and fewer than max_in_flight_per_group running leases; within the group it is whichever has
// been available longest: the oldest new task, the first lease that ran out, or the first
// nacked task that is due. When that is a task to claim back, the stream is fed a "nudge" (an
// entry with no task) so that a consumer waiting in XREADGROUP wakes and runs the lease script.
// Leases running out and nacks falling due wake nobody: a waiting lease looks again every
// poll_interval.
//
// A consumer that dies between reading an entry and beginning its lease leaves it pending with
// no lease: it is found in {P}:reading after read_grace and claimed back like a lease run out.
// Each queue object is one consumer (host-pid-random); consumers idle for an hour with nothing
// pending are deleted.
#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "adapters/redis/redis_client.hpp"
#include "domain/field_error.hpp"
#include "ports/task_queue.hpp"

namespace imagesprint::redis {

struct RedisTaskQueueConfig {
  static constexpr std::string_view DEFAULT_PREFIX = "imagesprint:queue";
  static constexpr int DEFAULT_MAX_DELIVERIES = TaskQueue::DEFAULT_MAX_DELIVERIES;
  static constexpr std::chrono::milliseconds DEFAULT_POLL_INTERVAL{500};
  static constexpr std::chrono::milliseconds DEFAULT_READ_GRACE{10'000};
  static constexpr std::chrono::milliseconds DEFAULT_DEDUPE_TTL{7LL * 24 * 3600 * 1000};

  /// Where Redis is; used by the constructor that opens its own client.
  RedisConnectionConfig connection;
  /// Key prefix: every key is "{prefix}:...". Not empty, no '{' or '}'. Default
  /// "imagesprint:queue".
  std::string prefix = std::string(DEFAULT_PREFIX);
  /// Deliveries for work before a task is dead-lettered; at least 1. Default 5.
  int max_deliveries = DEFAULT_MAX_DELIVERIES;
  /// Leases one group (Task::group) may hold at once; 0: no cap. Default 0.
  int max_in_flight_per_group = 0;
  /// While lease() waits, how long one XREADGROUP ... BLOCK waits before looking again (leases
  /// running out and nacked tasks falling due wake nobody). Greater than 0. Default 500 ms.
  std::chrono::milliseconds poll_interval = DEFAULT_POLL_INTERVAL;
  /// An entry read by a consumer whose lease has not begun this long after (the consumer
  /// stopped in between, or the reply was lost) is claimed back. Greater than 0. Default 10 s.
  std::chrono::milliseconds read_grace = DEFAULT_READ_GRACE;
  /// Lifetime of a dedupe key, renewed at each lease of its task; a safety net only, since the
  /// key is deleted when its task is acknowledged or dead-lettered. Default 7 days.
  std::chrono::milliseconds dedupe_ttl = DEFAULT_DEDUPE_TTL;
  /// Milliseconds since the Unix epoch, passed to every script; empty: Redis's own clock (TIME),
  /// one clock for every process. Tests move time by hand.
  std::function<UnixMillis()> clock;

  /// Every bad field, each by its name (never quoting a secret); the constructor refuses them.
  FieldErrors validate() const;
};

class RedisTaskQueue final : public TaskQueue {
 public:
  /// Opens its own connection pool from config.connection.
  explicit RedisTaskQueue(RedisTaskQueueConfig config);
  /// Shares `client` (with the event bus, say); config.connection is not used.
  RedisTaskQueue(std::shared_ptr<RedisClient> client, RedisTaskQueueConfig config);

  int enqueue_batch(const std::vector<Task>& tasks) override;
  std::optional<Delivery> lease(Millis lease, Millis wait) override;
  bool ack(const Delivery& delivery) override;
  bool nack(const Delivery& delivery, std::string_view error, Millis delay) override;
  bool extend_lease(Delivery& delivery, Millis lease) override;
  QueueDepth depth() override;

  /// Whether Redis answers now (GET /readyz).
  bool ping();

  /// "{prefix}:" (for tests and tools that look at the keys).
  const std::string& key_prefix() const { return key_prefix_; }

 private:
  Delivery to_delivery(const RedisValue& reply, const std::string& token) const;
  /// XREADGROUP on every known kind's stream: {kind, id}, or nullopt. `block` 0: no waiting.
  std::optional<std::pair<std::string, std::string>> read_group(Millis block);
  void make_streams();
  std::vector<std::string> queue_keys() const;
  /// The arguments every script starts with: prefix, now, known kinds.
  std::vector<std::string> script_args() const;

  std::shared_ptr<RedisClient> client_;
  RedisTaskQueueConfig config_;
  std::string key_prefix_;  // "{prefix}:"
  std::string known_kinds_;
  std::vector<std::string> streams_;  // "{prefix}:stream:K" for each known kind K
  std::string consumer_;
  std::atomic<std::int64_t> last_tidy_ms_{0};
  RedisScript enqueue_script_;
  RedisScript lease_script_;
  RedisScript begin_script_;
  RedisScript ack_script_;
  RedisScript nack_script_;
  RedisScript extend_script_;
  RedisScript depth_script_;
};

}  // namespace imagesprint::redis
