#pragma once
// BlurHash (https://blurha.sh, woltapp/blurhash's algorithm): a ~30-character placeholder that a
// browser paints while the real image loads. Written by hand: no C or C++ BlurHash library is
// packaged for Debian; the algorithm is a small cosine transform and a base-83 encoding.
#include <cstdint>
#include <span>
#include <string>

namespace imagesprint {

/// BlurHash of interleaved 8-bit sRGB pixels (3 or 4 bands; alpha is ignored).
/// components_x/y: 1-9 cosine terms per axis.
std::string blurhash_encode(std::span<const std::uint8_t> pixels, int width, int height, int bands,
                            int components_x = 4, int components_y = 3);

}  // namespace imagesprint
