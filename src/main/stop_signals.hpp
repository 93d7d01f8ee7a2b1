#pragma once
// SIGINT and SIGTERM for a role's main thread. Construct before any thread starts: the signals
// are blocked, every later thread inherits the mask, and wait() alone receives them.
#include <signal.h>

namespace imagesprint {

class StopSignals {
 public:
  StopSignals();
  /// Blocks until SIGINT or SIGTERM arrives; returns which.
  int wait();

 private:
  sigset_t signals_;
};

}  // namespace imagesprint
