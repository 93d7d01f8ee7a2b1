#pragma once
// One thread for the whole process that enforces the per-image time budgets (Deadline). A
// conversion registers its deadline and, before each evaluation, the image about to be evaluated;
// when a deadline passes, the watchdog sets libvips' `kill` flag on that image, which the
// evaluation checks on every tile it asks of it, and stops with an error.
//
// Why a thread rather than libvips' "eval" progress signal (what sharp's `timeout` uses): the
// signal runs on every tile of every image, with a timer read, a metadata lookup and a GObject
// signal emission, to guard against something that almost never happens. Here a conversion pays
// for one mutex lock per evaluation, and the cost of killing is paid only by the late ones.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>

#include <vips/vips8>

namespace imagesprint {

class DeadlineWatchdog {
 public:
  using Clock = std::chrono::steady_clock;
  /// How often a passed deadline's kill is set again: libvips clears `kill` on an image when a
  /// sink starts on it, so a kill set just before an evaluation starts must be repeated.
  static constexpr std::chrono::milliseconds REPEAT{2};

  /// One registered deadline. Its fields are guarded by the watchdog's mutex.
  struct Watch {
    Clock::time_point at;
    VipsImage* image = nullptr;  // a reference held while registered; null before the first arm
  };

  /// The process's watchdog; its thread starts with the first call.
  static DeadlineWatchdog& instance();

  DeadlineWatchdog();
  ~DeadlineWatchdog();
  DeadlineWatchdog(const DeadlineWatchdog&) = delete;
  DeadlineWatchdog& operator=(const DeadlineWatchdog&) = delete;

  void add(Watch& watch, Clock::time_point at);
  /// Moves `watch` to a new deadline (waiting for memory is not converting).
  void reset(Watch& watch, Clock::time_point at);
  /// `image` is about to be evaluated: the one to kill if the deadline passes.
  void set_image(Watch& watch, VipsImage* image);
  /// Unregisters `watch` and drops its image reference.
  void remove(Watch& watch);

 private:
  void run();
  void wake_if_sooner(Clock::time_point at);  // with mutex_ held

  std::mutex mutex_;
  std::condition_variable changed_;
  std::unordered_set<Watch*> watches_;
  std::optional<Clock::time_point> sleeping_until_;  // what the thread waits for; none: forever
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace imagesprint
