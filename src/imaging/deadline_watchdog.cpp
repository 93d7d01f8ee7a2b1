#include "imaging/deadline_watchdog.hpp"

#include <algorithm>
#include <vector>

namespace imagesprint {

DeadlineWatchdog& DeadlineWatchdog::instance() {
  static DeadlineWatchdog watchdog;
  return watchdog;
}

DeadlineWatchdog::DeadlineWatchdog() : thread_([this] { run(); }) {}

DeadlineWatchdog::~DeadlineWatchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_one();
  thread_.join();
}

void DeadlineWatchdog::wake_if_sooner(Clock::time_point at) {
  if (!sleeping_until_ || at < *sleeping_until_) {
    sleeping_until_ = at;  // no second wake-up for the same reason before the thread looks
    changed_.notify_one();
  }
}

void DeadlineWatchdog::add(Watch& watch, Clock::time_point at) {
  std::lock_guard lock(mutex_);
  watch.at = at;
  watches_.insert(&watch);
  wake_if_sooner(at);
}

void DeadlineWatchdog::reset(Watch& watch, Clock::time_point at) {
  std::lock_guard lock(mutex_);
  watch.at = at;
  wake_if_sooner(at);
}

void DeadlineWatchdog::set_image(Watch& watch, VipsImage* image) {
  g_object_ref(image);
  VipsImage* old = nullptr;
  {
    std::lock_guard lock(mutex_);
    old = watch.image;
    watch.image = image;
    // Already late (a budget smaller than the steps before this one): kill from the start.
    if (watch.at <= Clock::now()) wake_if_sooner(watch.at);
  }
  if (old) g_object_unref(old);
}

void DeadlineWatchdog::remove(Watch& watch) {
  VipsImage* old = nullptr;
  {
    std::lock_guard lock(mutex_);
    watches_.erase(&watch);
    old = watch.image;
    watch.image = nullptr;
  }
  if (old) g_object_unref(old);
}

void DeadlineWatchdog::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto now = Clock::now();
    std::optional<Clock::time_point> next;
    for (Watch* watch : watches_) {
      if (watch->at > now) {
        next = next ? std::min(*next, watch->at) : watch->at;
      } else if (watch->image) {
        // Repeated until the conversion unregisters: a sink starting on the image clears it.
        vips_image_set_kill(watch->image, TRUE);
        next = next ? std::min(*next, now + REPEAT) : now + REPEAT;
      }
    }
    sleeping_until_ = next;
    if (next) {
      changed_.wait_until(lock, *next);
    } else {
      changed_.wait(lock);
    }
  }
}

}  // namespace imagesprint
