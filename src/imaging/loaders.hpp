#pragma once
// Dispatch from a sniffed format to exactly one decoder. libvips' own format guessing is never
// used: every other loader is blocked at start-up (vips_runtime.cpp).
#include <cstdint>
#include <optional>
#include <span>

#include <vips/vips8>

#include "imaging/engine.hpp"

namespace imagesprint {

/// Sniffs the format and reads the header without decoding pixels; checks byte and pixel limits.
/// Describes `page` when given (refused with invalid_option, field "page", when the input has no
/// such page), else the page converted by default: a TIFF's first page, a HEIF collection's
/// primary image, an animation's first frame. Says whether the container is an animation.
/// Throws ImagingError (unsupported_format, too_large, too_many_pixels, invalid_option) or a
/// decoder error.
InputInfo read_header(std::span<const std::uint8_t> bytes, const EngineLimits& limits,
                      std::optional<int> page = std::nullopt);

struct LoadParams {
  int shrink = 1;           // JPEG shrink / WebP scale 1/shrink; 1, 2, 4 or 8
  bool all_frames = false;  // decode every frame of an animation into one tall strip
  std::optional<int> page;  // without all_frames: the page to decode; none: the format's
                            // default (the first page; for HEIF the primary image)
};

/// Decodes lazily with sequential access, failing on truncated data. `bytes` must outlive the
/// returned image.
vips::VImage load_image(InputFormat format, std::span<const std::uint8_t> bytes,
                        const LoadParams& params);

}  // namespace imagesprint
