#include "imaging/memory_estimate.hpp"

#include "imaging/placeholder.hpp"

namespace imagesprint {
namespace {

constexpr std::uint64_t MIB = 1024 * 1024;
/// libvips' strip buffers, the input file's decoder state and the encoder's output buffer for an
/// image that streams (measured: 63-79 MiB RSS for a 6 MP output, the process included).
constexpr std::uint64_t BASE = 48 * MIB;

/// Bytes per output pixel (all frames) the encoder holds, from the fit of peak RSS against
/// output pixels between 6 MP and 25 MP outputs, rounded up.
double encoder_bytes_per_pixel(OutputFormat format, bool alpha, bool palette) {
  switch (format) {
    case OutputFormat::jpeg:
      return 6;
    case OutputFormat::png:
      return palette ? 8 : 4;
    case OutputFormat::tiff:
    case OutputFormat::bmp:
      return 3;
    case OutputFormat::webp:
      // libwebp encodes from whole ARGB and YUV planes; an alpha plane is compressed losslessly
      // with hash chains over every pixel (measured 30 bytes a pixel for a grey+alpha input).
      return alpha ? 32 : 6;
    case OutputFormat::avif:
      return 22;
    case OutputFormat::gif:
      return 14;
    case OutputFormat::original:
      break;
  }
  return 32;
}

}  // namespace

std::uint64_t estimate_peak_bytes(const PipelineContext& ctx) {
  const InputInfo& in = ctx.input;
  const auto frames = static_cast<std::uint64_t>(ctx.pages);
  const std::uint64_t out_pixels = static_cast<std::uint64_t>(ctx.out_width) *
                                   static_cast<std::uint64_t>(ctx.out_height) * frames;
  const std::uint64_t resized_pixels = static_cast<std::uint64_t>(ctx.resize_width) *
                                       static_cast<std::uint64_t>(ctx.resize_height) * frames;
  double bytes = static_cast<double>(out_pixels) *
                 encoder_bytes_per_pixel(ctx.output, in.has_alpha, ctx.options.palette);
  // Turning or flipping to upright (EXIF 2-8) and a smart crop read the resized image in any
  // order: held whole, four 8-bit bands (16-bit inputs are cast to 8 bits before, see to_srgb).
  if (in.orientation >= 2 && !ctx.keep_frames) bytes += 4.0 * static_cast<double>(resized_pixels);
  if (ctx.options.fit == Fit::cover &&
      (ctx.options.gravity == Gravity::attention || ctx.options.gravity == Gravity::entropy)) {
    bytes += 4.0 * static_cast<double>(resized_pixels);
  }
  // libjpeg keeps every DCT coefficient of a progressive JPEG (interlace_gate.hpp).
  if (in.interlaced && in.format == InputFormat::jpeg) {
    bytes += 3.0 * static_cast<double>(in.width) * static_cast<double>(in.height);
  }
  // The output's pixels, held for its placeholder (placeholder.hpp).
  bytes += static_cast<double>(placeholder_pixel_bytes(ctx));
  return BASE + static_cast<std::uint64_t>(bytes);
}

}  // namespace imagesprint
