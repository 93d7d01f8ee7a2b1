#pragma once
// HEIF/AVIF inputs for tests, written with the system libheif's encoders (x265 for HEIC, aom for
// AVIF). Compiled apart from the libvips include path, whose bundled libheif headers must not
// shadow the system ones (as src/imaging/codecs does).
#include <cstdint>
#include <vector>

#include "imaging/codecs/raw_image.hpp"

namespace imagesprint::test {

enum class HeifCompression { hevc, av1 };

/// A HEIF file (HEIC with hevc, AVIF with av1) holding `images` (8-bit RGB) as separate still
/// images, top-level items in this order, with images[primary] as its primary image (pitm).
/// Throws std::runtime_error when libheif cannot encode.
std::vector<std::uint8_t> heif_collection(const std::vector<RawImage>& images, int primary,
                                          HeifCompression compression, int quality = 90);

}  // namespace imagesprint::test
