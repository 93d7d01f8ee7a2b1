#include "imaging/encoders.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "imaging/codecs/bmp_codec.hpp"
#include "imaging/codecs/raw_image.hpp"

namespace imagesprint {
namespace {

using vips::VImage;

// Defaults chosen for a batch service: WebP 4 as libwebp/sharp; AVIF 2 because libaom at the
// usual 4 takes several seconds for a 12-megapixel photo, too slow to be usable in a batch.
constexpr int DEFAULT_WEBP_EFFORT = 4;
constexpr int DEFAULT_AVIF_EFFORT = 2;
constexpr int DEFAULT_PALETTE_EFFORT = 7;
constexpr int PNG_COMPRESSION = 6;  // zlib level: sharp's default, the usual size/speed balance

std::vector<std::uint8_t> take(VipsBlob* blob) {
  const std::unique_ptr<VipsArea, decltype(&vips_area_unref)> area(
      reinterpret_cast<VipsArea*>(blob), &vips_area_unref);
  const auto* data = static_cast<const std::uint8_t*>(area->data);
  return std::vector<std::uint8_t>(data, data + area->length);
}

std::vector<std::uint8_t> encode_bmp_from(const VImage& image) {
  VImage rgb = image.bands() >= 3 ? image.extract_band(0, VImage::option()->set("n", 3))
                                  : image.colourspace(VIPS_INTERPRETATION_sRGB);
  std::size_t size = 0;
  const std::unique_ptr<void, decltype(&g_free)> memory(rgb.write_to_memory(&size), &g_free);
  RawImage raw{rgb.width(), rgb.height(), 3, {}};
  const auto* begin = static_cast<const std::uint8_t*>(memory.get());
  raw.pixels.assign(begin, begin + size);
  return encode_bmp(raw);
}

}  // namespace

int encoder_quality(OutputFormat format, int quality) {
  // AVIF's quantiser is far stricter than JPEG's at the same number: 80 would give files larger
  // than the JPEG. imgproxy's defaults (JPEG 80 <-> AVIF ~63) motivate a 0.8 factor.
  if (format == OutputFormat::avif)
    return std::clamp(static_cast<int>(std::lround(quality * 0.8)), 1, 100);
  return quality;
}

std::vector<std::uint8_t> encode_image(const VImage& image, OutputFormat format,
                                       const EncodeParams& p) {
  const int q = encoder_quality(format, p.quality);
  switch (format) {
    case OutputFormat::jpeg:
      return take(image.jpegsave_buffer(VImage::option()
                                            ->set("Q", q)
                                            ->set("optimize_coding", true)
                                            ->set("interlace", p.progressive)
                                            ->set("keep", p.keep)));
    case OutputFormat::png: {
      vips::VOption* o = VImage::option()
                             ->set("compression", PNG_COMPRESSION)
                             ->set("interlace", p.progressive)
                             ->set("keep", p.keep);
      if (p.palette) {
        o->set("palette", true)
            ->set("Q", q)
            ->set("effort", p.effort > 0 ? p.effort : DEFAULT_PALETTE_EFFORT);
      }
      return take(image.pngsave_buffer(o));
    }
    case OutputFormat::webp:
      return take(image.webpsave_buffer(
          VImage::option()
              ->set("Q", q)
              ->set("lossless", p.lossless)
              ->set("effort", p.effort >= 0 ? std::min(p.effort, 6) : DEFAULT_WEBP_EFFORT)
              ->set("keep", p.keep)));
    case OutputFormat::avif:
      return take(image.heifsave_buffer(
          VImage::option()
              ->set("compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1)
              ->set("Q", q)
              ->set("lossless", p.lossless)
              ->set("effort", p.effort >= 0 ? std::min(p.effort, 9) : DEFAULT_AVIF_EFFORT)
              ->set("bitdepth", 8)
              ->set("keep", p.keep)));
    case OutputFormat::gif:
      return take(image.gifsave_buffer(
          VImage::option()
              ->set("effort", p.effort > 0 ? std::min(p.effort, 10) : DEFAULT_PALETTE_EFFORT)
              ->set("interlace", p.progressive)
              ->set("keep", p.keep)));
    case OutputFormat::tiff:
      // Lossless: deflate with a horizontal predictor, the common archival choice.
      return take(
          image.tiffsave_buffer(VImage::option()
                                    ->set("compression", VIPS_FOREIGN_TIFF_COMPRESSION_DEFLATE)
                                    ->set("predictor", VIPS_FOREIGN_TIFF_PREDICTOR_HORIZONTAL)
                                    ->set("keep", p.keep)));
    case OutputFormat::bmp:
      return encode_bmp_from(image);
    case OutputFormat::original:
      break;
  }
  throw std::logic_error("encode_image: unresolved output format");
}

}  // namespace imagesprint
