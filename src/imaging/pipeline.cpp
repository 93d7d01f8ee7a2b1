#include "imaging/pipeline.hpp"

#include <array>

namespace imagesprint {

std::span<const NamedStep> conversion_pipeline() {
  // Why this order:
  // - The header is read and the limits checked before a single pixel is decoded.
  // - Shrink-on-load comes before decoding because it is a decoder parameter: JPEG's DCT scaling
  //   and WebP's scaled decode skip most of the work for large reductions.
  // - Resizing happens in the stored orientation and before colour conversion: both of those
  //   then touch only the output's pixels, and rotating a small image in memory is cheap while
  //   rotating the full-size decode would break sequential access.
  // - The cover crop needs upright coordinates, so it follows auto-orientation.
  // - Watermarks go on the final, flattened sRGB pixels so their colour and opacity are exact.
  static constexpr std::array<NamedStep, 13> STEPS{{
      {"probe_input", probe_input},
      {"plan_geometry", plan_geometry},
      {"shrink_on_load", shrink_on_load},
      {"decode", decode},
      {"resize", resize},
      {"auto_orient", auto_orient},
      {"crop", crop},
      {"to_srgb", to_srgb},
      {"flatten", flatten},
      {"watermark_text", watermark_text},
      {"watermark_image", watermark_image},
      {"metadata", metadata},
      {"encode", encode},
  }};
  return STEPS;
}

}  // namespace imagesprint
