// The BlurHash placeholder of an output (placeholder.hpp), and placeholder_hash() of an encoded
// file.
#include "imaging/placeholder.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "imaging/blurhash.hpp"
#include "imaging/engine.hpp"
#include "imaging/frames.hpp"
#include "imaging/imaging_error.hpp"
#include "imaging/loaders.hpp"

namespace imagesprint {
namespace {

constexpr int SIDE = 32;  // BlurHash needs only a thumbnail; 32 px keeps it under a millisecond

}  // namespace

std::uint64_t placeholder_pixel_bytes(const PipelineContext& ctx) {
  if (!ctx.placeholder) return 0;
  const std::uint64_t bytes = 4ull * static_cast<std::uint64_t>(ctx.out_width) *
                              static_cast<std::uint64_t>(ctx.out_height) *
                              static_cast<std::uint64_t>(ctx.pages);
  return bytes <= PLACEHOLDER_PIXELS_MAX_BYTES ? bytes : 0;
}

bool placeholder_from_pixels(const PipelineContext& ctx) {
  return placeholder_pixel_bytes(ctx) > 0;
}

std::string placeholder_of(const vips::VImage& image, int page_height) {
  vips::VImage frame = image;
  if (frame.height() > page_height) frame = frame.crop(0, 0, frame.width(), page_height);
  const double scale =
      std::min(1.0, static_cast<double>(SIDE) / std::max(frame.width(), frame.height()));
  const int w = std::max(1, static_cast<int>(std::lround(frame.width() * scale)));
  const int h = std::max(1, static_cast<int>(std::lround(frame.height() * scale)));
  frame = resize_frames(frame, 1, w, h);
  if (frame.interpretation() != VIPS_INTERPRETATION_sRGB || frame.bands() < 3) {
    frame = frame.colourspace(VIPS_INTERPRETATION_sRGB);
  }
  if (frame.format() != VIPS_FORMAT_UCHAR) frame = frame.cast(VIPS_FORMAT_UCHAR);
  std::size_t size = 0;
  const std::unique_ptr<void, decltype(&g_free)> memory(frame.write_to_memory(&size), &g_free);
  const auto* pixels = static_cast<const std::uint8_t*>(memory.get());
  return blurhash_encode({pixels, size}, frame.width(), frame.height(), frame.bands());
}

Expected<std::string> placeholder_hash(std::span<const std::uint8_t> encoded) {
  init_engine();
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
    // One page (the first frame); only JPEG and WebP decoders shrink, the rest load it whole.
    const vips::VImage image = load_image(info.format, encoded, LoadParams{shrink, false});
    return placeholder_of(image, image.height());
  } catch (...) {
    vips_error_clear();
    return to_error(std::current_exception(), false);
  }
}

}  // namespace imagesprint
