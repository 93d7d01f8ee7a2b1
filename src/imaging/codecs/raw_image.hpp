#pragma once
// Pixels decoded by a codec that libvips (the npm prebuilt) lacks: interleaved 8-bit samples.
#include <cstdint>
#include <vector>

namespace imagesprint {

struct RawImage {
  int width = 0;
  int height = 0;
  int bands = 3;                     // 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA
  std::vector<std::uint8_t> pixels;  // width * height * bands, row-major
};

/// Width and height from a header, read without decoding pixels.
struct RawHeader {
  int width = 0;  // of `page`
  int height = 0;
  bool has_alpha = false;
  int pages = 1;  // images in the file (HEIF: top-level items)
  int page = 0;   // the one described (HEIF: the primary item unless another was asked for)
};

}  // namespace imagesprint
