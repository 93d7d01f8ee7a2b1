#pragma once
// The per-image time budget. libvips evaluates lazily; the image about to be evaluated
// (materialised or encoded) is armed, and once the deadline passes the process's watchdog thread
// (deadline_watchdog.hpp) kills that evaluation, as sharp's `timeout` does, without a progress
// callback on every tile of the images that finish in time.
#include <chrono>

#include <vips/vips8>

#include "imaging/deadline_watchdog.hpp"

namespace imagesprint {

class Deadline {
 public:
  using Clock = DeadlineWatchdog::Clock;
  explicit Deadline(double seconds);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  bool passed() const { return Clock::now() >= at_; }
  /// Starts the budget again from now (time spent waiting for memory is not converting).
  void restart();
  /// `image` is the next to be evaluated: its evaluation is killed once the deadline passes.
  /// The image is held until the next arm or the end of the conversion.
  void arm(const vips::VImage& image);

 private:
  Clock::duration budget_;
  Clock::time_point at_;
  DeadlineWatchdog::Watch watch_;
};

}  // namespace imagesprint
