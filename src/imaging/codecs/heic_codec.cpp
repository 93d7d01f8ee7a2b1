#include "imaging/codecs/heic_codec.hpp"

#include <libheif/heif.h>

#include <cstring>
#include <memory>
#include <string>

#include "imaging/codecs/codec_error.hpp"

namespace imagesprint {
namespace {

struct ContextDeleter {
  void operator()(heif_context* c) const { heif_context_free(c); }
};
struct HandleDeleter {
  void operator()(heif_image_handle* h) const { heif_image_handle_release(h); }
};
struct ImageDeleter {
  void operator()(heif_image* i) const { heif_image_release(i); }
};
using ContextPtr = std::unique_ptr<heif_context, ContextDeleter>;
using HandlePtr = std::unique_ptr<heif_image_handle, HandleDeleter>;
using ImagePtr = std::unique_ptr<heif_image, ImageDeleter>;

void check(heif_error err, const char* what) {
  if (err.code != heif_error_Ok) {
    throw CodecError(std::string("HEIC: ") + what + ": " + (err.message ? err.message : "error"));
  }
}

struct Opened {
  ContextPtr context;
  HandlePtr handle;
};

// `bytes` must outlive the returned context (read without copy).
Opened open(std::span<const std::uint8_t> bytes) {
  Opened o{ContextPtr(heif_context_alloc()), nullptr};
  if (!o.context) throw CodecError("HEIC: out of memory");
  check(heif_context_read_from_memory_without_copy(o.context.get(), bytes.data(), bytes.size(),
                                                   nullptr),
        "cannot read the container");
  heif_image_handle* handle = nullptr;
  check(heif_context_get_primary_image_handle(o.context.get(), &handle), "no primary image");
  o.handle.reset(handle);
  return o;
}

}  // namespace

RawHeader read_heic_header(std::span<const std::uint8_t> bytes) {
  const Opened o = open(bytes);
  return RawHeader{heif_image_handle_get_width(o.handle.get()),
                   heif_image_handle_get_height(o.handle.get()),
                   heif_image_handle_has_alpha_channel(o.handle.get()) != 0};
}

RawImage decode_heic(std::span<const std::uint8_t> bytes) {
  const Opened o = open(bytes);
  const bool alpha = heif_image_handle_has_alpha_channel(o.handle.get()) != 0;
  heif_image* decoded = nullptr;
  // Default decoding options apply the container's rotation and mirroring.
  check(heif_decode_image(o.handle.get(), &decoded, heif_colorspace_RGB,
                          alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB,
                          nullptr),
        "cannot decode");
  const ImagePtr image(decoded);
  RawImage out;
  out.width = heif_image_get_width(decoded, heif_channel_interleaved);
  out.height = heif_image_get_height(decoded, heif_channel_interleaved);
  out.bands = alpha ? 4 : 3;
  int stride = 0;
  const std::uint8_t* plane =
      heif_image_get_plane_readonly(decoded, heif_channel_interleaved, &stride);
  if (!plane || out.width <= 0 || out.height <= 0)
    throw CodecError("HEIC: decoder returned no pixels");
  const std::size_t row = static_cast<std::size_t>(out.width) * out.bands;
  out.pixels.resize(row * out.height);
  for (int y = 0; y < out.height; ++y) {
    std::memcpy(out.pixels.data() + row * y, plane + static_cast<std::size_t>(stride) * y, row);
  }
  return out;
}

}  // namespace imagesprint
