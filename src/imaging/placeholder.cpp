// placeholder_hash(): the BlurHash of an encoded output, computed from a tiny decode of it.
#include <algorithm>
#include <cmath>
#include <memory>

#include "imaging/blurhash.hpp"
#include "imaging/engine.hpp"
#include "imaging/frames.hpp"
#include "imaging/imaging_error.hpp"
#include "imaging/loaders.hpp"

namespace imagesprint {

Expected<std::string> placeholder_hash(std::span<const std::uint8_t> encoded) {
  init_engine();
  constexpr int SIDE = 32;  // BlurHash needs only a thumbnail; 32 px keeps it under a millisecond
  try {
    const InputInfo info = read_header(encoded, EngineLimits{});
    const double factor = std::min(info.width, info.height) / static_cast<double>(SIDE);
    int shrink = 1;
    for (const int s : {8, 4, 2}) {
      if (factor >= s) {
        shrink = s;
        break;
      }
    }
    vips::VImage image = load_image(info.format, encoded, LoadParams{shrink, false});
    if (image.height() > info.height / shrink + 1)
      image = image.crop(0, 0, image.width(), info.height / shrink);
    const double scale =
        std::min(1.0, static_cast<double>(SIDE) / std::max(image.width(), image.height()));
    const int w = std::max(1, static_cast<int>(std::lround(image.width() * scale)));
    const int h = std::max(1, static_cast<int>(std::lround(image.height() * scale)));
    image = resize_frames(image, 1, w, h);
    if (image.interpretation() != VIPS_INTERPRETATION_sRGB || image.bands() < 3) {
      image = image.colourspace(VIPS_INTERPRETATION_sRGB);
    }
    if (image.format() != VIPS_FORMAT_UCHAR) image = image.cast(VIPS_FORMAT_UCHAR);
    std::size_t size = 0;
    const std::unique_ptr<void, decltype(&g_free)> memory(image.write_to_memory(&size), &g_free);
    const auto* pixels = static_cast<const std::uint8_t*>(memory.get());
    return blurhash_encode({pixels, size}, image.width(), image.height(), image.bands());
  } catch (...) {
    vips_error_clear();
    return to_error(std::current_exception(), false);
  }
}

}  // namespace imagesprint
