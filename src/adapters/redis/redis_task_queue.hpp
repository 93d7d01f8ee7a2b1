#pragma once
// TaskQueue on Redis Streams (the distributed roles). The contract is the port's
// (ports/task_queue.hpp); how it is kept here:
//
// Key layout (prefix P; every key starts with the hash tag "{P}", so a queue lives in one
// Redis Cluster slot and every script touches one slot):
//   {P}:stream:G     STREAM  group G's tasks; consumer group "workers", one consumer "lease".
//                            Entry fields: kind, job, image, payload, dedupe, group. The entry
//                            id is the task id (Delivery::id) for its whole life.
//   {P}:leased:G     ZSET    task id -> lease end, for G's leases (running, or run out)
//   {P}:delayed:G    ZSET    task id -> due time, for G's nacked tasks
//   {P}:groups       ZSET    group -> its turn (see fairness below)
//   {P}:turn         STRING  lease counter
//   {P}:last_id      STRING  last task id given out
//   {P}:tokens       HASH    task id -> lease token
//   {P}:errors       HASH    task id -> last error
//   {P}:leases       ZSET    task id -> lease end, all groups (depth's in_flight)
//   {P}:task_count   STRING  tasks in the group streams
//   {P}:wake         LIST    wake-ups for waiting leases (BLPOP)
//   {P}:dedupe:K     STRING  -> the task id holding dedupe key K (SET NX PX dedupe_ttl)
//   {P}:dead         STREAM  every dead letter (task fields + task, deliveries, error, dead_at)
//   {P}:dead:due     ZSET    task id -> when its unrecorded dead letter is next handed over
//   {P}:dead:tokens  HASH    task id -> its hand-over lease's token
//   {P}:dead:entries HASH    task id -> its entry id in {P}:dead, until the failure is recorded
// Every step that touches more than one key is one Lua script (lua/queue_*.lua, KEYS and ARGV
// documented at the top of each); the time is the caller's clock when one is configured (passed
// as ARGV, as BullMQ does, so tests can move time by hand), else Redis's TIME (one clock for
// every process).
//
// Fairness. One stream cannot serve groups in turn: XREADGROUP hands out entries in id order,
// so one user's 50 images would come before another's one. So each group (Task::group, the job
// owner) has its own stream, and {P}:groups orders the groups: a group's score is the lease
// counter at its last lease, or, never served, -2^50 + its first task's time (those come first,
// oldest work first). The lease script walks the groups in that order and takes the first one
// with an available task and fewer than max_in_flight_per_group running leases (ZCOUNT of its
// leased set above now); within the group it takes whichever has been available longest: the
// next undelivered entry (since its id's time; ids are given out queue-wide, ms part = enqueue
// time), the first lease that ran out, or the first nacked task that is due.
//
// Where this departs from the words, and why:
// - Leases end by the sorted sets above, not by XAUTOCLAIM's idle time: leases have a length
//   per call and are extended, XAUTOCLAIM has one min-idle-time per call, and the idle time is
//   the server's clock, which the contract's tests cannot move. A run-out lease is taken back
//   with XCLAIM, which counts the delivery in the pending-entries list; that count is the
//   delivery count, as the issue asks. XCLAIM ... JUSTID extends a lease on the same consumer.
// - A nacked task stays pending in its stream (keeping its id and its delivery count) and waits
//   in {P}:delayed:G until due, instead of being re-added to the stream from a sorted set: the
//   lease script claims it back when due, which is the same "sorted set moved into work by a
//   script" without copying the entry.
// - XREADGROUP runs inside the lease script (without BLOCK, which scripts cannot do), after the
//   script chose the group. A lease that finds nothing waits with BLPOP on {P}:wake (pushed by
//   enqueue, by a nack due at once, and by an ack under a cap), for at most poll_interval at a
//   time, then looks again: leases running out and delayed tasks falling due push nothing.
// - Dead letters: XADD to {P}:dead then XACK + XDEL in the group stream, in the lease script
//   that finds a task past its deliveries. Its failure is handed over from {P}:dead:due like a
//   lease (the Delivery keeps the task's id); ack records it, and its entry stays in {P}:dead.
// - A group that has no task left is forgotten (its keys deleted, its turn dropped); coming
//   back it counts as never served.
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
  /// While lease() waits, how long one BLPOP waits before looking again (leases running out and
  /// nacked tasks falling due wake nobody). Greater than 0. Default 500 ms.
  std::chrono::milliseconds poll_interval = DEFAULT_POLL_INTERVAL;
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
  std::optional<Delivery> try_lease(Millis lease);
  std::vector<std::string> queue_keys() const;
  std::vector<std::string> group_keys(const Delivery& delivery) const;
  std::string now_arg() const;

  std::shared_ptr<RedisClient> client_;
  RedisTaskQueueConfig config_;
  std::string key_prefix_;  // "{prefix}:"
  std::string known_kinds_;
  RedisScript enqueue_script_;
  RedisScript lease_script_;
  RedisScript ack_script_;
  RedisScript nack_script_;
  RedisScript extend_script_;
  RedisScript depth_script_;
};

}  // namespace imagesprint::redis
