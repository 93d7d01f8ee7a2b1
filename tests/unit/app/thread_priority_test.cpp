// Conversions run below the HTTP IO threads' priority: the worker pool's threads, and the libvips
// threads that do a conversion's pixel work, carry the nice value they were given. Read back from
// /proc/self/task, as the scheduler sees it (no timing involved).
//
// libvips keeps its idle threads for 15 s and hands them to whoever asks next, so what one test
// leaves behind would change the next one's threads: each test needs a process of its own, as
// ctest runs them (gtest_discover_tests); each checks that it starts from no libvips thread.
#include "app/thread_priority.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../adapters/sqlite_records/temp_database.hpp"
#include "adapters/localfs/local_object_store.hpp"
#include "adapters/memory/in_process_event_bus.hpp"
#include "adapters/sql/sql_job_store.hpp"
#include "adapters/sql/sql_notification_store.hpp"
#include "adapters/sqlite/sqlite_task_queue.hpp"
#include "adapters/zip/zip_archive_writer.hpp"
#include "app/loop_threads.hpp"
#include "app/runners.hpp"
#include "imaging/engine.hpp"
#include "support/corpus.hpp"

namespace imagesprint {
namespace {

using std::chrono::milliseconds;

constexpr auto LIBVIPS_THREAD = "libvips worker";
constexpr int ROUNDS = 6000;  // of 10 ms: how long a test waits for a thread to get somewhere

struct ThreadInfo {
  int tid = 0;
  std::string name;
  int nice = 0;
};

/// The process's threads as /proc/self/task/TID/stat shows them (name, field 19: nice).
std::vector<ThreadInfo> threads() {
  std::vector<ThreadInfo> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream file(entry.path() / "stat");
    std::string stat;
    if (!std::getline(file, stat)) continue;  // the thread ended
    const auto open = stat.find('(');
    const auto close = stat.rfind(')');
    ThreadInfo info;
    info.tid = std::stoi(stat.substr(0, open));
    info.name = stat.substr(open + 1, close - open - 1);
    std::istringstream rest(stat.substr(close + 2));  // from field 3 (state) on
    std::string field;
    for (int i = 3; i <= 19 && rest >> field; ++i) {
      if (i == 19) info.nice = std::stoi(field);
    }
    out.push_back(info);
  }
  return out;
}

std::vector<ThreadInfo> threads_named(const std::string& name) {
  std::vector<ThreadInfo> out;
  for (const ThreadInfo& t : threads()) {
    if (t.name == name) out.push_back(t);
  }
  return out;
}

/// Converts a corpus photo (its pixel work runs on libvips' threads).
void convert_a_photo() {
  const auto bytes = test::read_bytes(test::corpus("photos/flickr-2569067123-2725x2225.jpg"));
  ConversionOptions options;
  options.width = 720;
  options.format = OutputFormat::jpeg;
  const auto result = convert({bytes, {}}, options);
  ASSERT_TRUE(result) << result.error().message;
}

/// Waits (10 ms at a time, at most ROUNDS times) until `done` holds; returns whether it did.
template <typename Condition>
bool eventually(Condition done) {
  for (int i = 0; i < ROUNDS; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return done();
}

class ThreadPriority : public testing::Test {
 protected:
  static void SetUpTestSuite() { init_engine(); }
  void SetUp() override {
    ASSERT_TRUE(threads_named(LIBVIPS_THREAD).empty())
        << "libvips threads left by an earlier test: run each test in its own process (ctest)";
    base_ = own_nice();
    if (base_ >= LOWEST_PRIORITY)
      GTEST_SKIP() << "already at the lowest priority: nothing to lower";
  }
  /// The nice value `levels` below the test's own (capped, as LoopThreads caps it).
  int below(int levels) const { return std::min(LOWEST_PRIORITY, base_ + levels); }
  int base_ = 0;
};

TEST_F(ThreadPriority, LoopThreadsRunTheirNiceLevelsBelowTheStarterAndCarryTheLoopsName) {
  std::mutex mutex;
  std::condition_variable changed;
  std::set<int> started;
  LoopThreads loop(
      "prio-loop", 2,
      [&]() -> LoopThreads::Step {
        return [&] {
          {
            const std::lock_guard lock(mutex);
            started.insert(static_cast<int>(::gettid()));
          }
          changed.notify_all();
          return milliseconds(60'000);  // stop() wakes it
        };
      },
      {}, 3);
  loop.start();
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(
        changed.wait_for(lock, std::chrono::minutes(1), [&] { return started.size() == 2; }));
  }
  for (const ThreadInfo& t : threads()) {
    if (!started.contains(t.tid)) continue;
    EXPECT_EQ(t.nice, below(3)) << "thread " << t.tid;
    EXPECT_EQ(t.name, "prio-loop") << "thread " << t.tid;
  }
  EXPECT_EQ(threads_named("prio-loop").size(), 2u);
  EXPECT_EQ(own_nice(), base_) << "the starter keeps its priority";
  loop.stop();
}

TEST_F(ThreadPriority, TheLibvipsThreadsOfAConversionOnALoopThreadInheritItsPriority) {
  std::mutex mutex;
  std::condition_variable changed;
  bool converted = false;
  LoopThreads loop(
      "prio-convert", 1,
      [&]() -> LoopThreads::Step {
        return [&] {
          if (!converted) convert_a_photo();
          {
            const std::lock_guard lock(mutex);
            converted = true;
          }
          changed.notify_all();
          return milliseconds(60'000);
        };
      },
      [] { release_thread_resources(); }, 5);
  loop.start();
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, std::chrono::minutes(1), [&] { return converted; }));
  }
  const auto pool = threads_named(LIBVIPS_THREAD);
  ASSERT_FALSE(pool.empty()) << "the conversion ran on no libvips thread";
  for (const ThreadInfo& t : pool) EXPECT_EQ(t.nice, below(5)) << "libvips thread " << t.tid;
  loop.stop();
}

class WorkerPoolPriority : public ThreadPriority {
 protected:
  WorkerPoolPriority()
      : objects_(LocalObjectStoreConfig{temp_.file().parent_path() / "objects",
                                        std::string(32, 'k'), "/v1/objects/",
                                        [] { return UnixMillis{1'700'000'000'000}; }}),
        queue_(temp_.db(), SqliteTaskQueueConfig{}) {}

  WorkerDeps deps() {
    return WorkerDeps{
        jobs_,
        objects_,
        queue_,
        events_,
        notifications_,
        [](ArchiveSink sink) { return std::make_unique<ZipArchiveWriter>(std::move(sink)); },
        [] { return UnixMillis{1'700'000'000'000}; },
        {}};
  }

  test::TempDatabase temp_;
  SqlJobStore jobs_{temp_.db()};
  SqlNotificationStore notifications_{temp_.db()};
  LocalObjectStore objects_;
  SqliteTaskQueue queue_;
  InProcessEventBus events_;
};

TEST_F(WorkerPoolPriority, LowersTheLibvipsThreadsAnotherThreadStartedToTheWorkersPriority) {
  // A conversion on this thread (as a preview on the HTTP blocking pool would be) starts libvips
  // threads at this thread's priority; libvips hands them to the next conversion.
  convert_a_photo();
  ASSERT_FALSE(threads_named(LIBVIPS_THREAD).empty());
  for (const ThreadInfo& t : threads_named(LIBVIPS_THREAD)) ASSERT_EQ(t.nice, base_);

  WorkerSettings settings;
  settings.poll_wait = milliseconds(20);
  auto pool = make_worker_pool(deps(), settings, 2, 4);
  pool->start();
  const bool lowered = eventually([&] {
    const auto workers = threads_named("worker");
    const auto vips = threads_named(LIBVIPS_THREAD);
    const auto at = [&](const ThreadInfo& t) { return t.nice == below(4); };
    return workers.size() == 2 && std::all_of(workers.begin(), workers.end(), at) &&
           !vips.empty() && std::all_of(vips.begin(), vips.end(), at);
  });
  std::string seen;
  for (const ThreadInfo& t : threads()) seen += " " + t.name + "=" + std::to_string(t.nice);
  pool->stop();
  EXPECT_TRUE(lowered) << "worker and libvips threads did not all reach nice " << below(4)
                       << "; threads:" << seen;
}

}  // namespace
}  // namespace imagesprint
