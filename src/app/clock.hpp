#pragma once
// The time source of the use cases: wall-clock milliseconds, replaceable in tests.
#include <chrono>
#include <functional>

#include "domain/job.hpp"

namespace imagesprint {

using Clock = std::function<UnixMillis()>;

inline UnixMillis system_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace imagesprint
