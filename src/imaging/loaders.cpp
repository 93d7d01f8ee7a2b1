#include "imaging/loaders.hpp"

#include <string>

#include "imaging/codecs/bmp_codec.hpp"
#include "imaging/codecs/format_sniffer.hpp"
#include "imaging/codecs/heic_codec.hpp"
#include "imaging/imaging_error.hpp"

namespace imagesprint {
namespace {

using vips::VImage;

/// A VipsBlob over caller-owned bytes (no copy); the VipsBlob reference is dropped on scope exit.
class BorrowedBlob {
 public:
  explicit BorrowedBlob(std::span<const std::uint8_t> bytes)
      : blob_(vips_blob_new(nullptr, bytes.data(), bytes.size())) {}
  ~BorrowedBlob() { vips_area_unref(reinterpret_cast<VipsArea*>(blob_)); }
  BorrowedBlob(const BorrowedBlob&) = delete;
  BorrowedBlob& operator=(const BorrowedBlob&) = delete;
  VipsBlob* get() const { return blob_; }

 private:
  VipsBlob* blob_;
};

VImage vips_load(InputFormat format, std::span<const std::uint8_t> bytes, vips::VOption* options) {
  const BorrowedBlob blob(bytes);
  switch (format) {
    case InputFormat::jpeg:
      return VImage::jpegload_buffer(blob.get(), options);
    case InputFormat::png:
      return VImage::pngload_buffer(blob.get(), options);
    case InputFormat::webp:
      return VImage::webpload_buffer(blob.get(), options);
    case InputFormat::gif:
      return VImage::gifload_buffer(blob.get(), options);
    case InputFormat::tiff:
      return VImage::tiffload_buffer(blob.get(), options);
    case InputFormat::avif:
      return VImage::heifload_buffer(blob.get(), options);
    case InputFormat::bmp:
    case InputFormat::heic:
      break;
  }
  throw ImagingError(ErrorCode::internal, "no libvips loader for this format");
}

VImage from_raw(const RawImage& raw) {
  VImage image = VImage::new_from_memory_copy(raw.pixels.data(), raw.pixels.size(), raw.width,
                                              raw.height, raw.bands, VIPS_FORMAT_UCHAR);
  return image.copy(VImage::option()->set(
      "interpretation", raw.bands <= 2 ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB));
}

std::string megapixels(std::uint64_t pixels) {
  return std::to_string(pixels / 1'000'000) + "." + std::to_string(pixels / 100'000 % 10) +
         " megapixels";
}

}  // namespace

InputInfo read_header(std::span<const std::uint8_t> bytes, const EngineLimits& limits) {
  if (bytes.size() > limits.max_input_bytes) {
    throw ImagingError(ErrorCode::too_large, "the file has " + std::to_string(bytes.size()) +
                                                 " bytes, more than the limit of " +
                                                 std::to_string(limits.max_input_bytes));
  }
  const auto format = sniff_format(bytes);
  if (!format) {
    throw ImagingError(ErrorCode::unsupported_format,
                       "unsupported file type (" + describe_unaccepted(bytes) +
                           "); accepted: JPEG, PNG, WebP, AVIF, GIF, TIFF, BMP, HEIC");
  }
  InputInfo info;
  info.format = *format;
  if (*format == InputFormat::heic || *format == InputFormat::bmp) {
    const RawHeader h =
        *format == InputFormat::heic ? read_heic_header(bytes) : read_bmp_header(bytes);
    info.width = h.width;
    info.height = h.height;
    info.has_alpha = h.has_alpha;
  } else {
    // A loader reads only the header until pixels are asked for.
    const VImage header =
        vips_load(*format, bytes, VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL));
    info.width = header.width();
    info.height = header.get_typeof(VIPS_META_PAGE_HEIGHT) ? header.get_int(VIPS_META_PAGE_HEIGHT)
                                                           : header.height();
    info.pages = header.get_typeof(VIPS_META_N_PAGES) ? header.get_int(VIPS_META_N_PAGES) : 1;
    info.orientation =
        header.get_typeof(VIPS_META_ORIENTATION) ? header.get_int(VIPS_META_ORIENTATION) : 1;
    info.has_alpha = header.has_alpha();
    info.interlaced = header.get_typeof("interlaced") != 0;
    if (info.orientation < 1 || info.orientation > 8) info.orientation = 1;
  }
  const std::uint64_t pixels = std::uint64_t(info.width) * std::uint64_t(info.height);
  if (info.width <= 0 || info.height <= 0) {
    throw ImagingError(ErrorCode::corrupt_image, "the image header gives no size");
  }
  if (pixels > limits.max_input_pixels) {
    throw ImagingError(ErrorCode::too_many_pixels,
                       "the image is " + std::to_string(info.width) + "x" +
                           std::to_string(info.height) + " (" + megapixels(pixels) +
                           "), over the limit of " + megapixels(limits.max_input_pixels));
  }
  if (info.interlaced && info.format == InputFormat::jpeg &&
      pixels > limits.max_interlaced_pixels) {
    throw ImagingError(ErrorCode::too_many_pixels,
                       "the progressive JPEG is " + megapixels(pixels) + ", over the limit of " +
                           megapixels(limits.max_interlaced_pixels) +
                           " for progressive images (they decode whole into memory)");
  }
  return info;
}

VImage load_image(InputFormat format, std::span<const std::uint8_t> bytes,
                  const LoadParams& params) {
  if (format == InputFormat::heic) return from_raw(decode_heic(bytes));
  if (format == InputFormat::bmp) return from_raw(decode_bmp(bytes));
  vips::VOption* options = VImage::option()
                               ->set("access", VIPS_ACCESS_SEQUENTIAL)
                               ->set("fail_on", VIPS_FAIL_ON_TRUNCATED);
  if (format == InputFormat::jpeg && params.shrink > 1) options->set("shrink", params.shrink);
  if (format == InputFormat::webp && params.shrink > 1) options->set("scale", 1.0 / params.shrink);
  if ((format == InputFormat::gif || format == InputFormat::webp) && params.all_frames)
    options->set("n", -1);
  return vips_load(format, bytes, options);
}

}  // namespace imagesprint
