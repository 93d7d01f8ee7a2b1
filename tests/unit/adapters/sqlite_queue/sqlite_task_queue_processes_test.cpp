// Several processes on one queue file, as `imagesprint worker` processes share one SQLite file.
// Each child opens its own connections after fork() (SQLite connections must never cross a
// fork), leases and acknowledges until the queue is empty, and writes what it got to a file.
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "../temp_folder.hpp"
#include "adapters/sqlite/sqlite_task_queue.hpp"

namespace imagesprint::test {
namespace {

using Millis = TaskQueue::Millis;

constexpr int TASKS = 300;
constexpr int CHILDREN = 3;

/// The child's whole life; never returns.
[[noreturn]] void drain(const std::filesystem::path& db_file, const std::filesystem::path& out,
                        bool crash_holding_one) {
  int status = 0;
  try {
    DatabasePool db(db_file.string(), 2);
    SqliteTaskQueue queue(db);
    std::ofstream log(out);
    if (crash_holding_one) {
      // Lease one task for a short time and die without a word, like a SIGKILLed worker.
      if (auto d = queue.lease(Millis(300), Millis(0))) log << "abandoned " << d->id << "\n";
      log.close();
      ::_exit(0);
    }
    for (;;) {
      auto d = queue.lease(Millis(60'000), Millis(50));
      if (!d) {
        const QueueDepth depth = queue.depth();
        if (depth.waiting == 0 && depth.in_flight == 0) break;
        continue;  // the abandoned task comes back once its lease ends
      }
      log << "done " << d->id << " " << d->delivery_count << "\n";
      if (!queue.ack(*d)) status = 3;
    }
  } catch (const std::exception& e) {
    std::ofstream(out, std::ios::app) << "error " << e.what() << "\n";
    status = 2;
  }
  ::_exit(status);
}

TEST(SqliteTaskQueueProcesses, EachTaskIsDoneOnceAcrossProcessesEvenAfterACrash) {
  TempFolder folder("queue-processes");
  const auto db_file = folder / "queue.db";
  {
    // The parent fills the queue, then closes every connection before forking.
    DatabasePool db(db_file.string(), 1);
    SqliteTaskQueue queue(db);
    std::vector<Task> tasks;
    for (int i = 0; i < TASKS; ++i) {
      Task t;
      t.job_id = "job";
      t.image_index = i;
      tasks.push_back(t);
    }
    ASSERT_EQ(queue.enqueue_batch(tasks), TASKS);
  }

  // Child 0 dies holding a lease before the others start, so they find its task abandoned.
  const auto run_child = [&](int c) {
    const pid_t pid = ::fork();
    if (pid == 0) drain(db_file, folder / ("child-" + std::to_string(c)), c == 0);
    return pid;
  };
  const auto reap = [](pid_t pid) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "child " << pid;
  };
  const pid_t crashing = run_child(0);
  ASSERT_GT(crashing, 0);
  reap(crashing);
  std::vector<pid_t> children;
  for (int c = 1; c <= CHILDREN; ++c) {
    children.push_back(run_child(c));
    ASSERT_GT(children.back(), 0);
  }
  for (const pid_t pid : children) reap(pid);

  std::string abandoned;
  std::map<std::string, int> times_done;      // task id -> how many children did it
  std::map<std::string, int> delivery_count;  // task id -> its delivery count when done
  for (int c = 0; c <= CHILDREN; ++c) {
    std::ifstream log(folder / ("child-" + std::to_string(c)));
    std::string what, id;
    while (log >> what >> id) {
      if (what == "abandoned") {
        abandoned = id;
        continue;
      }
      ASSERT_EQ(what, "done") << id;
      log >> delivery_count[id];
      ++times_done[id];
    }
  }
  EXPECT_EQ(times_done.size(), static_cast<std::size_t>(TASKS)) << "nothing lost";
  for (const auto& [id, times] : times_done) EXPECT_EQ(times, 1) << "task " << id << " doubled";
  ASSERT_FALSE(abandoned.empty());
  EXPECT_EQ(delivery_count[abandoned], 2) << "the crashed child's task came back, counted";

  DatabasePool db(db_file.string(), 1);
  SqliteTaskQueue queue(db);
  const QueueDepth depth = queue.depth();
  EXPECT_EQ(depth.waiting + depth.in_flight + depth.dead_letters, 0);
}

}  // namespace
}  // namespace imagesprint::test
