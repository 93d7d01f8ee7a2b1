#include "imaging/codecs/bmp_codec.hpp"

#include <climits>
#include <cstdlib>
#include <memory>
#include <string>

#include "imaging/codecs/codec_error.hpp"

// stb is single-header: this file is its one implementation unit. Only the BMP paths are
// compiled in, to keep the attack surface to what we use.
#define STBI_ONLY_BMP
#define STBI_NO_STDIO
#define STBI_NO_HDR
#define STBI_NO_LINEAR
#define STB_IMAGE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#define STB_IMAGE_WRITE_IMPLEMENTATION
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wnull-dereference"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>
#pragma GCC diagnostic pop

namespace imagesprint {
namespace {

int checked_size(std::span<const std::uint8_t> bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) throw CodecError("BMP: file too large");
  return static_cast<int>(bytes.size());
}

}  // namespace

RawHeader read_bmp_header(std::span<const std::uint8_t> bytes) {
  int w = 0, h = 0, channels = 0;
  if (!stbi_info_from_memory(bytes.data(), checked_size(bytes), &w, &h, &channels)) {
    throw CodecError(std::string("BMP: ") + stbi_failure_reason());
  }
  return RawHeader{w, h, channels == 4};
}

RawImage decode_bmp(std::span<const std::uint8_t> bytes) {
  const RawHeader header = read_bmp_header(bytes);
  const int want = header.has_alpha ? 4 : 3;
  int w = 0, h = 0, channels = 0;
  std::unique_ptr<stbi_uc, decltype(&stbi_image_free)> pixels(
      stbi_load_from_memory(bytes.data(), checked_size(bytes), &w, &h, &channels, want),
      &stbi_image_free);
  if (!pixels) throw CodecError(std::string("BMP: ") + stbi_failure_reason());
  RawImage out{w, h, want, {}};
  out.pixels.assign(pixels.get(), pixels.get() + static_cast<std::size_t>(w) * h * want);
  return out;
}

std::vector<std::uint8_t> encode_bmp(const RawImage& image) {
  std::vector<std::uint8_t> out;
  auto sink = [](void* context, void* data, int size) {
    auto* buffer = static_cast<std::vector<std::uint8_t>*>(context);
    const auto* begin = static_cast<const std::uint8_t*>(data);
    buffer->insert(buffer->end(), begin, begin + size);
  };
  if (!stbi_write_bmp_to_func(sink, &out, image.width, image.height, image.bands,
                              image.pixels.data())) {
    throw CodecError("BMP: encoder failed");
  }
  return out;
}

}  // namespace imagesprint
