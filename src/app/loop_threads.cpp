#include "app/loop_threads.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>

#include "app/thread_priority.hpp"

namespace imagesprint {

LoopThreads::LoopThreads(std::string name, int threads, StepFactory make_step, ThreadExit on_exit,
                         int nice)
    : name_(std::move(name)),
      count_(threads),
      nice_(nice),
      make_step_(std::move(make_step)),
      on_exit_(std::move(on_exit)) {}

LoopThreads::~LoopThreads() {
  stop();
}

void LoopThreads::start() {
  for (int i = 0; i < count_; ++i)
    threads_.emplace_back([this, step = make_step_()] { run(step); });
}

void LoopThreads::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void LoopThreads::wake() {
  {
    const std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void LoopThreads::run(Step step) {
  // Linux keeps 15 characters of a thread's name (and refuses a longer one).
  ::pthread_setname_np(::pthread_self(), name_.substr(0, 15).c_str());
  if (!lower_own_priority(nice_))
    spdlog::warn("{}: could not lower the thread's priority by {}: {}", name_, nice_,
                 std::strerror(errno));
  for (;;) {
    {
      const std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    std::chrono::milliseconds wait{0};
    try {
      wait = step();
    } catch (const std::exception& e) {
      spdlog::error("{}: {}", name_, e.what());
      wait = std::chrono::seconds(1);
    }
    if (wait.count() <= 0) continue;
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, wait, [this] { return stopping_ || woken_; });
    woken_ = false;
  }
  if (on_exit_) on_exit_();
}

}  // namespace imagesprint
