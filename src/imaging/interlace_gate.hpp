#pragma once
// Progressive JPEGs cannot be decoded a strip at a time: libjpeg buffers every DCT coefficient of
// the whole image (about 6 bytes a pixel) before the first row comes out. One at a time keeps
// the process's peak memory bounded however many of them arrive together.
#include <semaphore>

namespace imagesprint {

class InterlaceGate {
 public:
  /// Holds the gate for the scope when `needed`, otherwise does nothing.
  explicit InterlaceGate(bool needed);
  ~InterlaceGate();
  InterlaceGate(const InterlaceGate&) = delete;
  InterlaceGate& operator=(const InterlaceGate&) = delete;

 private:
  bool held_;
};

}  // namespace imagesprint
