#pragma once
// The one way long-running work runs in this service: N threads each calling a step function
// until stop(). A step says how long to wait before the next one; stop() wakes every waiting
// thread at once (no polling), lets the steps in hand finish, and joins. The runners (worker
// pool, janitor, webhook dispatcher) are built on it; the composition root starts and stops them.
// Each thread carries the loop's name (first 15 characters: top -H, /proc/PID/task/TID/comm) and
// may run at a lower scheduling priority than the rest of the process (`nice`), so that work
// such as image conversion yields the CPU to the HTTP IO threads that write the live events.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace imagesprint {

class LoopThreads {
 public:
  /// Runs one step; returns how long to wait before the next (zero: go on at once). An
  /// exception is logged (with `name`) and the loop waits a second before trying again.
  using Step = std::function<std::chrono::milliseconds()>;
  /// Makes the per-thread step (each thread may keep its own state, a JobWorker say).
  using StepFactory = std::function<Step()>;
  /// Called on each thread before it ends (per-thread clean-up, such as libvips' buffers).
  using ThreadExit = std::function<void()>;

  /// `nice`: how many nice levels below the thread that calls start() the loop's threads run
  /// (0: the same; the result is capped at 19). On Linux the nice value belongs to each thread and
  /// is inherited by the threads it creates. A thread that cannot lower itself logs a warning and
  /// runs on at its priority.
  LoopThreads(std::string name, int threads, StepFactory make_step, ThreadExit on_exit = {},
              int nice = 0);
  ~LoopThreads();
  LoopThreads(const LoopThreads&) = delete;
  LoopThreads& operator=(const LoopThreads&) = delete;

  void start();
  /// Idempotent; returns once every thread has finished its step and ended.
  void stop();
  /// Wakes the threads that are waiting between steps (new work arrived).
  void wake();

 private:
  void run(Step step);

  std::string name_;
  int count_;
  int nice_;
  StepFactory make_step_;
  ThreadExit on_exit_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace imagesprint
