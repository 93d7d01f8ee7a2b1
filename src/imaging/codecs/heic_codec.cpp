#include "imaging/codecs/heic_codec.hpp"

#include <libheif/heif.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

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
  int pages = 1;  // top-level images
  int page = 0;   // the position of `handle` among them
};

// `bytes` must outlive the returned context (read without copy).
Opened open(std::span<const std::uint8_t> bytes, std::optional<int> page) {
  Opened o{ContextPtr(heif_context_alloc()), nullptr};
  if (!o.context) throw CodecError("HEIC: out of memory");
  heif_context* ctx = o.context.get();
  check(heif_context_read_from_memory_without_copy(ctx, bytes.data(), bytes.size(), nullptr),
        "cannot read the container");
  const int count = heif_context_get_number_of_top_level_images(ctx);
  if (count < 1) throw CodecError("HEIC: the file holds no image");
  std::vector<heif_item_id> ids(static_cast<std::size_t>(count));
  o.pages = heif_context_get_list_of_top_level_image_IDs(ctx, ids.data(), count);
  heif_item_id id = 0;
  if (page) {
    if (*page < 0 || *page >= o.pages) throw CodecError("HEIC: no image " + std::to_string(*page));
    id = ids[static_cast<std::size_t>(*page)];
  } else {
    check(heif_context_get_primary_image_ID(ctx, &id), "no primary image");
  }
  // The primary image is a top-level one; should a file say otherwise, report it as the first.
  const auto at = std::find(ids.begin(), ids.begin() + o.pages, id);
  o.page = at == ids.begin() + o.pages ? 0 : static_cast<int>(at - ids.begin());
  heif_image_handle* handle = nullptr;
  check(heif_context_get_image_handle(ctx, id, &handle), "cannot open the image");
  o.handle.reset(handle);
  return o;
}

}  // namespace

RawHeader read_heic_header(std::span<const std::uint8_t> bytes, std::optional<int> page) {
  const Opened o = open(bytes, page);
  return RawHeader{heif_image_handle_get_width(o.handle.get()),
                   heif_image_handle_get_height(o.handle.get()),
                   heif_image_handle_has_alpha_channel(o.handle.get()) != 0, o.pages, o.page};
}

RawImage decode_heic(std::span<const std::uint8_t> bytes, std::optional<int> page) {
  const Opened o = open(bytes, page);
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
