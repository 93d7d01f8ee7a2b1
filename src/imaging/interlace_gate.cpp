#include "imaging/interlace_gate.hpp"

namespace imagesprint {
namespace {

std::binary_semaphore& gate() {
  static std::binary_semaphore semaphore(1);
  return semaphore;
}

}  // namespace

InterlaceGate::InterlaceGate(bool needed) : held_(needed) {
  if (held_) gate().acquire();
}

InterlaceGate::~InterlaceGate() {
  if (held_) gate().release();
}

}  // namespace imagesprint
