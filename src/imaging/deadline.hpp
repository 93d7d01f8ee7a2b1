#pragma once
// The per-image time budget. libvips evaluates lazily; the budget is armed on every image that is
// about to be evaluated (materialised or encoded), and its "eval" callback kills the evaluation
// once the deadline passes, as sharp's `timeout` does.
#include <chrono>

#include <vips/vips8>

namespace imagesprint {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;
  explicit Deadline(double seconds)
      : at_(Clock::now() +
            std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds))) {}
  bool passed() const { return Clock::now() >= at_; }
  /// Makes libvips report progress on `image` and kill its evaluation after the deadline.
  /// The Deadline must outlive every evaluation of `image`.
  void arm(const vips::VImage& image) const;

 private:
  Clock::time_point at_;
};

}  // namespace imagesprint
