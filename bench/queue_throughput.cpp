// imagesprint-queue-bench: the TaskQueue and EventBus adapters measured side by side, in one
// run: tasks per second enqueued (in batches of 50, as a job's upload does), then leased and
// acknowledged by 1 and 4 consumer threads, on the SQLite queue and on the Redis one; and the
// latency of an event from publish() to a subscriber's handler, through the in-process bus and
// through Redis (Pub/Sub), p50 and p99.
//
//   imagesprint-queue-bench --redis-port PORT [--tasks 5000] [--events 2000]
//
// It talks to the redis-server given (127.0.0.1 only); bench/queue_bench.sh starts one.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "adapters/memory/in_process_event_bus.hpp"
#include "adapters/redis/redis_event_bus.hpp"
#include "adapters/redis/redis_task_queue.hpp"
#include "adapters/sqlite/database_pool.hpp"
#include "adapters/sqlite/sqlite_task_queue.hpp"

namespace {

using namespace imagesprint;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Enqueues `n` convert tasks over 10 users in batches of 50; tasks per second.
double enqueue_rate(TaskQueue& queue, int n, const std::string& run) {
  const auto start = Clock::now();
  for (int done = 0; done < n;) {
    std::vector<Task> batch;
    const std::string job = run + "-job" + std::to_string(done);
    for (int i = 0; i < 50 && done < n; ++i, ++done) {
      Task t;
      t.kind = TaskKind::convert;
      t.job_id = job;
      t.image_index = i;
      t.dedupe_key = "convert:" + job + ":" + std::to_string(i);
      t.group = std::to_string(done % 10);
      batch.push_back(std::move(t));
    }
    queue.enqueue_batch(batch);
  }
  return n / seconds_since(start);
}

/// `consumers` threads lease and ack until `n` tasks are done; tasks per second.
double lease_ack_rate(TaskQueue& queue, int n, int consumers) {
  std::atomic<int> acked{0};
  const auto start = Clock::now();
  const auto give_up = start + std::chrono::seconds(300);
  std::vector<std::thread> threads;
  for (int c = 0; c < consumers; ++c) {
    threads.emplace_back([&] {
      while (acked.load() < n && Clock::now() < give_up) {
        auto d = queue.lease(std::chrono::milliseconds(30'000), std::chrono::milliseconds(50));
        if (d && queue.ack(*d)) ++acked;
      }
    });
  }
  for (auto& t : threads) t.join();
  return acked.load() / seconds_since(start);
}

struct Latency {
  double p50_ms = 0, p99_ms = 0;
};

/// Publishes `n` events one at a time, each after the previous one arrived; publish-to-handler.
Latency event_latency(EventBus& bus, int n) {
  std::mutex mutex;
  std::condition_variable arrived;
  int received = 0;
  Clock::time_point sent;
  std::vector<double> ms;
  auto sub = bus.subscribe(7, [&](const Event&) {
    const std::lock_guard lock(mutex);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
    ++received;
    arrived.notify_all();
  });
  for (int i = 0; i < n; ++i) {
    {
      const std::lock_guard lock(mutex);
      sent = Clock::now();
    }
    bus.publish(7, "job", "progress", R"({"done":1})");
    std::unique_lock lock(mutex);
    if (!arrived.wait_for(lock, std::chrono::seconds(5), [&] { return received > i; })) break;
  }
  std::sort(ms.begin(), ms.end());
  if (ms.empty()) return {};
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("TaskQueue and EventBus adapters: throughput and latency");
  int redis_port = 0, tasks = 5000, events = 2000;
  app.add_option("--redis-port", redis_port, "redis-server on 127.0.0.1")->required();
  app.add_option("--tasks", tasks, "tasks per measurement");
  app.add_option("--events", events, "events per latency measurement");
  CLI11_PARSE(app, argc, argv);

  const fs::path folder = fs::temp_directory_path() / ("queue-bench-" + std::to_string(getpid()));
  fs::create_directories(folder);
  const std::string run = std::to_string(std::random_device{}());
  std::printf(
      "| queue | consumers | enqueued/s | leased+acked/s |\n| --- | ---: | ---: | ---: |\n");
  for (const int consumers : {1, 4}) {
    {
      DatabasePool db((folder / ("q" + std::to_string(consumers) + ".db")).string(), 8);
      SqliteTaskQueue queue(db, {});
      const double in = enqueue_rate(queue, tasks, run);
      const double out = lease_ack_rate(queue, tasks, consumers);
      std::printf("| SQLite | %d | %.0f | %.0f |\n", consumers, in, out);
    }
    {
      redis::RedisTaskQueueConfig config;
      config.connection.port = redis_port;
      config.prefix = "bench:" + run + ":" + std::to_string(consumers);
      redis::RedisTaskQueue queue(config);
      const double in = enqueue_rate(queue, tasks, run);
      const double out = lease_ack_rate(queue, tasks, consumers);
      std::printf("| Redis | %d | %.0f | %.0f |\n", consumers, in, out);
    }
    std::fflush(stdout);
  }
  std::printf(
      "\n| event bus | events | publish to handler p50 (ms) | p99 (ms) |\n"
      "| --- | ---: | ---: | ---: |\n");
  {
    InProcessEventBus bus;
    const Latency l = event_latency(bus, events);
    std::printf("| in-process | %d | %.3f | %.3f |\n", events, l.p50_ms, l.p99_ms);
  }
  {
    redis::RedisEventBusConfig config;
    config.connection.port = redis_port;
    config.prefix = "bench:" + run + ":events";
    redis::RedisEventBus bus(config);
    const Latency l = event_latency(bus, events);
    std::printf("| Redis (stream + Pub/Sub) | %d | %.3f | %.3f |\n", events, l.p50_ms, l.p99_ms);
  }
  fs::remove_all(folder);
  return 0;
}
