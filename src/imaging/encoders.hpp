#pragma once
// One encoder call per output format, with our quality mapping and defaults.
#include <cstdint>
#include <vector>

#include <vips/vips8>

#include "domain/image_format.hpp"

namespace imagesprint {

struct EncodeParams {
  int quality = 80;  // the user's 1-100 (mapped per format, see encoders.cpp)
  bool lossless = false;
  bool progressive = false;
  bool palette = false;
  int effort = -1;  // -1: the format's default
  int keep = 0;     // VipsForeignKeep flags
};

/// The encoder quality that `quality` maps to for `format` (AVIF's scale is stricter than JPEG's).
int encoder_quality(OutputFormat format, int quality);

/// Encodes `image` (8-bit sRGB or grey, page-height set for animations) to `format`.
std::vector<std::uint8_t> encode_image(const vips::VImage& image, OutputFormat format,
                                       const EncodeParams& params);

}  // namespace imagesprint
