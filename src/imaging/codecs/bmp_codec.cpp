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

std::uint32_t le32(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
         static_cast<std::uint32_t>(b[at + 2]) << 16 | static_cast<std::uint32_t>(b[at + 3]) << 24;
}

std::uint16_t le16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] | b[at + 1] << 8);
}

/// Refuses a BMP whose pixel rows are not all in the file. stb decodes only uncompressed BMPs
/// (and bit fields), whose rows take a fixed number of bytes: a few hundred bytes that declare
/// 16 x 131,084 pixels would otherwise be "decoded" a byte at a time past the end of the data
/// (0.5 s here, and 100 MP would take a minute), so the header has to be held to the file's
/// size. Found by the engine fuzzer.
void require_pixel_data(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 30) throw CodecError("BMP: truncated header");
  const std::uint32_t data_offset = le32(bytes, 10);
  const std::uint32_t info_size = le32(bytes, 14);
  std::uint64_t width = 0;
  std::uint64_t height = 0;
  std::uint32_t bits = 0;
  std::uint32_t compression = 0;
  if (info_size == 12) {  // OS/2 BITMAPCOREHEADER: 16-bit sizes
    width = le16(bytes, 18);
    height = le16(bytes, 20);
    bits = le16(bytes, 24);
  } else {
    if (bytes.size() < 34) throw CodecError("BMP: truncated header");
    const auto w = static_cast<std::int32_t>(le32(bytes, 18));
    const auto h = static_cast<std::int32_t>(le32(bytes, 22));
    width = static_cast<std::uint64_t>(w < 0 ? -static_cast<std::int64_t>(w) : w);
    height = static_cast<std::uint64_t>(h < 0 ? -static_cast<std::int64_t>(h) : h);
    bits = le16(bytes, 28);
    compression = le32(bytes, 30);
  }
  // 0: BI_RGB; 3 and 6: bit fields. Anything else stb refuses on its own.
  if (compression != 0 && compression != 3 && compression != 6) return;
  const std::uint64_t row_bytes = (width * bits + 31) / 32 * 4;
  const std::uint64_t needed = static_cast<std::uint64_t>(data_offset) + row_bytes * height;
  if (needed > bytes.size()) {
    throw CodecError("BMP: truncated: the header describes " + std::to_string(needed) +
                     " bytes, the file has " + std::to_string(bytes.size()));
  }
}

}  // namespace

RawHeader read_bmp_header(std::span<const std::uint8_t> bytes) {
  int w = 0, h = 0, channels = 0;
  if (!stbi_info_from_memory(bytes.data(), checked_size(bytes), &w, &h, &channels)) {
    throw CodecError(std::string("BMP: ") + stbi_failure_reason());
  }
  require_pixel_data(bytes);
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
