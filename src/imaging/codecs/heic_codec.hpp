#pragma once
// HEIC/HEIF input through Debian's libheif, which has the HEVC decoder the prebuilt libvips lacks.
// Compiled apart from the libvips targets so that the npm package's own libheif headers can never
// shadow the system ones.
#include <cstdint>
#include <optional>
#include <span>

#include "imaging/codecs/raw_image.hpp"

namespace imagesprint {

/// A HEIF file may hold several still images (top-level items, in file order); `page` picks one
/// by its 0-based position, and without it the primary image is used, as every viewer shows it.

/// The number of images, which one is used, and its size after the container's transforms
/// (irot/imir), as it will display. Throws CodecError on a file libheif cannot read, or on a
/// `page` the file does not have (the caller checks `pages` first).
RawHeader read_heic_header(std::span<const std::uint8_t> bytes,
                           std::optional<int> page = std::nullopt);

/// Decodes that image to 8-bit RGB or RGBA with the container's transforms applied, so no EXIF
/// orientation is to be applied afterwards. Throws CodecError.
RawImage decode_heic(std::span<const std::uint8_t> bytes, std::optional<int> page = std::nullopt);

}  // namespace imagesprint
