#pragma once
// Decoding outputs back and comparing pixels by similarity (never by bytes: encoders change).
#include <cstdint>
#include <span>
#include <string>

#include <vips/vips8>

namespace imagesprint::test {

/// Decodes any output we write (BMP through our own codec, the rest through libvips).
vips::VImage decode_output(std::span<const std::uint8_t> bytes);

/// The format libvips (or our BMP codec) recognises in `bytes`: "jpeg", "png", "webp", "heif",
/// "gif", "tiff", "bmp" or "" when none.
std::string detected_format(std::span<const std::uint8_t> bytes);

/// Mean absolute difference per sample (0-255) of two same-sized images over a rectangle.
double mean_abs_diff(const vips::VImage& a, const vips::VImage& b, int left, int top, int width,
                     int height);
double mean_abs_diff(const vips::VImage& a, const vips::VImage& b);

/// Number of frames an animated output holds.
int frame_count(const vips::VImage& image);

}  // namespace imagesprint::test
