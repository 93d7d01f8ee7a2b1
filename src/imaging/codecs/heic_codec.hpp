#pragma once
// HEIC/HEIF input through Debian's libheif, which has the HEVC decoder the prebuilt libvips lacks.
// Compiled apart from the libvips targets so that the npm package's own libheif headers can never
// shadow the system ones.
#include <cstdint>
#include <span>

#include "imaging/codecs/raw_image.hpp"

namespace imagesprint {

/// The primary image's size after the container's transforms (irot/imir), as it will display.
/// Throws CodecError on a file libheif cannot read.
RawHeader read_heic_header(std::span<const std::uint8_t> bytes);

/// Decodes the primary image to 8-bit RGB or RGBA with the container's transforms applied, so no
/// EXIF orientation is to be applied afterwards. Throws CodecError.
RawImage decode_heic(std::span<const std::uint8_t> bytes);

}  // namespace imagesprint
