#pragma once
// Port: one holder at a time, across the processes of a deployment, for work that must run once
// (the janitor: expiring results twice at once would notify twice). A holder renews its lease
// well within its length; if it dies, the lease runs out and another process takes over.
#include <chrono>

namespace imagesprint {

class LeaderLease {
 public:
  virtual ~LeaderLease() = default;
  /// Takes the lease, or renews it when this object holds it, for `length`. True while held;
  /// false when another holder has it (or the store cannot be reached: nobody is sure then).
  virtual bool hold(std::chrono::milliseconds length) = 0;
  /// Gives the lease up if held (a clean stop), so another process takes over at once.
  virtual void release() = 0;
  /// Whether the last hold() held it (for /metrics).
  virtual bool held() const = 0;
};

/// The lease of a process that is alone (the embedded `serve`): always held.
class SoleProcessLease final : public LeaderLease {
 public:
  bool hold(std::chrono::milliseconds /*length*/) override { return true; }
  void release() override {}
  bool held() const override { return true; }
};

}  // namespace imagesprint
