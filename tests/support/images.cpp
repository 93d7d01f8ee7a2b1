#include "support/images.hpp"

#include <stdexcept>

#include "imaging/codecs/bmp_codec.hpp"
#include "imaging/codecs/format_sniffer.hpp"
#include "imaging/engine.hpp"

namespace imagesprint::test {

using vips::VImage;

vips::VImage decode_output(std::span<const std::uint8_t> bytes) {
  init_engine();
  const auto format = sniff_format(bytes);
  if (format == InputFormat::bmp) {
    const RawImage raw = decode_bmp(bytes);
    return VImage::new_from_memory_copy(raw.pixels.data(), raw.pixels.size(), raw.width, raw.height,
                                        raw.bands, VIPS_FORMAT_UCHAR);
  }
  // n=-1 keeps every frame of an animation.
  const char* opts = (format == InputFormat::gif || format == InputFormat::webp) ? "n=-1" : "";
  return VImage::new_from_buffer(bytes.data(), bytes.size(), opts).copy_memory();
}

std::string detected_format(std::span<const std::uint8_t> bytes) {
  const auto format = sniff_format(bytes);
  if (!format) return "";
  if (*format == InputFormat::avif || *format == InputFormat::heic) return "heif";
  return std::string(to_string(*format));
}

double mean_abs_diff(const VImage& a, const VImage& b, int left, int top, int width, int height) {
  if (a.width() != b.width() || a.height() != b.height() || a.bands() != b.bands()) {
    throw std::invalid_argument("mean_abs_diff: images differ in size or bands");
  }
  const VImage da = a.extract_area(left, top, width, height).cast(VIPS_FORMAT_FLOAT);
  const VImage db = b.extract_area(left, top, width, height).cast(VIPS_FORMAT_FLOAT);
  return (da - db).abs().avg();
}

double mean_abs_diff(const VImage& a, const VImage& b) {
  return mean_abs_diff(a, b, 0, 0, a.width(), a.height());
}

int frame_count(const VImage& image) {
  return image.get_typeof(VIPS_META_N_PAGES) ? image.get_int(VIPS_META_N_PAGES) : 1;
}

}  // namespace imagesprint::test
