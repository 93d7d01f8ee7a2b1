#include "support/heif_writer.hpp"

#include <libheif/heif.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

namespace imagesprint::test {
namespace {

struct ContextDeleter {
  void operator()(heif_context* c) const { heif_context_free(c); }
};
struct EncoderDeleter {
  void operator()(heif_encoder* e) const { heif_encoder_release(e); }
};
struct HandleDeleter {
  void operator()(heif_image_handle* h) const { heif_image_handle_release(h); }
};
struct ImageDeleter {
  void operator()(heif_image* i) const { heif_image_release(i); }
};

void check(heif_error err, const char* what) {
  if (err.code != heif_error_Ok) {
    throw std::runtime_error(std::string("heif_collection: ") + what + ": " +
                             (err.message ? err.message : "error"));
  }
}

heif_error append(heif_context*, const void* data, std::size_t size, void* userdata) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(userdata);
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  out->insert(out->end(), bytes, bytes + size);
  return heif_error{heif_error_Ok, heif_suberror_Unspecified, "ok"};
}

std::unique_ptr<heif_image, ImageDeleter> to_heif_image(const RawImage& raw) {
  if (raw.bands != 3 || raw.pixels.size() != std::size_t(raw.width) * raw.height * 3)
    throw std::invalid_argument("heif_collection: images must be 8-bit RGB");
  heif_image* created = nullptr;
  check(heif_image_create(raw.width, raw.height, heif_colorspace_RGB, heif_chroma_interleaved_RGB,
                          &created),
        "heif_image_create");
  std::unique_ptr<heif_image, ImageDeleter> image(created);
  check(heif_image_add_plane(created, heif_channel_interleaved, raw.width, raw.height, 8),
        "heif_image_add_plane");
  int stride = 0;
  std::uint8_t* plane = heif_image_get_plane(created, heif_channel_interleaved, &stride);
  const std::size_t row = std::size_t(raw.width) * 3;
  for (int y = 0; y < raw.height; ++y)
    std::memcpy(plane + std::size_t(stride) * y, raw.pixels.data() + row * y, row);
  return image;
}

}  // namespace

std::vector<std::uint8_t> heif_collection(const std::vector<RawImage>& images, int primary,
                                          HeifCompression compression, int quality) {
  if (primary < 0 || primary >= static_cast<int>(images.size()))
    throw std::invalid_argument("heif_collection: no such primary image");
  const std::unique_ptr<heif_context, ContextDeleter> context(heif_context_alloc());
  heif_encoder* made = nullptr;
  check(heif_context_get_encoder_for_format(
            context.get(),
            compression == HeifCompression::av1 ? heif_compression_AV1 : heif_compression_HEVC,
            &made),
        "no encoder");
  const std::unique_ptr<heif_encoder, EncoderDeleter> encoder(made);
  check(heif_encoder_set_lossy_quality(encoder.get(), quality), "quality");
  // aom's slowest presets take seconds even for small images; its fastest ones are plenty here.
  if (compression == HeifCompression::av1)
    heif_encoder_set_parameter_integer(encoder.get(), "speed", 8);

  std::vector<std::unique_ptr<heif_image_handle, HandleDeleter>> handles;
  for (const RawImage& raw : images) {
    const auto image = to_heif_image(raw);
    heif_image_handle* handle = nullptr;
    check(heif_context_encode_image(context.get(), image.get(), encoder.get(), nullptr, &handle),
          "encode");
    handles.emplace_back(handle);
  }
  // The first image encoded became the primary one; the file says which, in its pitm box.
  check(heif_context_set_primary_image(context.get(), handles[primary].get()), "primary");
  std::vector<std::uint8_t> out;
  heif_writer writer{1, &append};
  check(heif_context_write(context.get(), &writer, &out), "write");
  return out;
}

}  // namespace imagesprint::test
