#pragma once
// The BlurHash placeholder of an output: made from its pixels while the conversion still holds
// them, or from a small decode of the encoded file.
#include <cstdint>
#include <string>

#include <vips/vips8>

#include "imaging/pipeline_context.hpp"

namespace imagesprint {

/// Outputs whose 8-bit pixels (every frame, at most four bands) fit in this many bytes are held
/// in memory for the encoder, and the placeholder is made from them: a 32-pixel thumbnail of
/// pixels at hand, against a whole second decode of the encoded file (libwebp has no scaled
/// decode: 7-24 ms for a 1280 px WebP, measured, the conversion itself being 160-360 ms).
/// Larger ones keep streaming into the encoder, and their placeholder comes from the file.
constexpr std::uint64_t PLACEHOLDER_PIXELS_MAX_BYTES = 16ull * 1024 * 1024;

/// Whether the conversion holds the output's pixels for its placeholder (planned sizes known).
bool placeholder_from_pixels(const PipelineContext& ctx);

/// Bytes the pixels held for the placeholder take at most (0 when none are held).
std::uint64_t placeholder_pixel_bytes(const PipelineContext& ctx);

/// The BlurHash (4x3 components) of the first frame of `image` (frames stacked, `page_height`
/// rows each). Throws vips::VError.
std::string placeholder_of(const vips::VImage& image, int page_height);

}  // namespace imagesprint
