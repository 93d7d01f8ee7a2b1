#pragma once
// BMP through stb_image / stb_image_write (Debian libstb): the prebuilt libvips has neither a BMP
// loader nor a saver.
#include <cstdint>
#include <span>
#include <vector>

#include "imaging/codecs/raw_image.hpp"

namespace imagesprint {

/// Throws CodecError when the header is not a BMP stb can read.
RawHeader read_bmp_header(std::span<const std::uint8_t> bytes);
/// Decodes to 8-bit RGB, or RGBA when the file has alpha. Throws CodecError.
RawImage decode_bmp(std::span<const std::uint8_t> bytes);
/// Encodes 8-bit RGB or RGBA pixels (1 and 2 bands are expanded) as a BMP file.
std::vector<std::uint8_t> encode_bmp(const RawImage& image);

}  // namespace imagesprint
