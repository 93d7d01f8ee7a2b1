#include "imaging/loaders.hpp"

#include <string>

#include "imaging/codecs/bmp_codec.hpp"
#include "imaging/codecs/format_sniffer.hpp"
#include "imaging/codecs/heic_codec.hpp"
#include "imaging/engine.hpp"
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

/// The libvips loaders that read files of several pages, frames or images (and so take `page`
/// and `n`).
bool has_pages(InputFormat format) {
  return format == InputFormat::gif || format == InputFormat::webp || format == InputFormat::tiff ||
         format == InputFormat::avif;
}

/// Whether the container, not the page count, says the pages are an animation's frames. GIF and
/// WebP have only animations (a one-frame one is a still). TIFF pages are a document's pages or
/// a pyramid's levels, even when they all have the same size. A HEIF/AVIF file is a collection
/// of still images unless its brands declare an image sequence; HEIC decodes through libheif's
/// still-image API only, so it is never one here.
bool is_animation(InputFormat format, std::span<const std::uint8_t> bytes, int pages) {
  if (pages <= 1) return false;
  switch (format) {
    case InputFormat::gif:
    case InputFormat::webp:
      return true;
    case InputFormat::avif:
      return is_image_sequence(bytes);
    default:
      return false;
  }
}

/// The header of `page`, or of the format's default page: no limits checked yet.
InputInfo header_of(InputFormat format, std::span<const std::uint8_t> bytes,
                    std::optional<int> page) {
  InputInfo info;
  info.format = format;
  if (format == InputFormat::heic || format == InputFormat::bmp) {
    const RawHeader h =
        format == InputFormat::heic ? read_heic_header(bytes, page) : read_bmp_header(bytes);
    info.width = h.width;
    info.height = h.height;
    info.has_alpha = h.has_alpha;
    info.pages = h.pages;
    info.page = h.page;
    return info;
  }
  // A loader reads only the header until pixels are asked for.
  vips::VOption* options = VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL);
  if (page && has_pages(format)) options->set("page", *page);
  const VImage header = vips_load(format, bytes, options);
  info.width = header.width();
  info.height = header.get_typeof(VIPS_META_PAGE_HEIGHT) ? header.get_int(VIPS_META_PAGE_HEIGHT)
                                                         : header.height();
  info.pages = header.get_typeof(VIPS_META_N_PAGES) ? header.get_int(VIPS_META_N_PAGES) : 1;
  if (page) {
    info.page = *page;
  } else if (header.get_typeof("heif-primary")) {
    // libvips opens a HEIF file at its primary image (pitm), which need not be the first.
    info.page = header.get_int("heif-primary");
  }
  info.animated = is_animation(format, bytes, info.pages);
  info.orientation =
      header.get_typeof(VIPS_META_ORIENTATION) ? header.get_int(VIPS_META_ORIENTATION) : 1;
  info.has_alpha = header.has_alpha();
  info.interlaced = header.get_typeof("interlaced") != 0;
  if (info.orientation < 1 || info.orientation > 8) info.orientation = 1;
  return info;
}

}  // namespace

std::optional<Error> page_refusal(int pages, std::optional<int> page) {
  if (!page || (*page >= 0 && *page < pages)) return std::nullopt;
  return Error{ErrorCode::invalid_option,
               pages == 1
                   ? "page: expected 0 (the input has one page), got " + std::to_string(*page)
                   : "page: expected a page from 0 to " + std::to_string(pages - 1) +
                         " (the input has " + std::to_string(pages) + " pages), got " +
                         std::to_string(*page),
               "page",
               {},
               false};
}

InputInfo read_header(std::span<const std::uint8_t> bytes, const EngineLimits& limits,
                      std::optional<int> page) {
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
  // The default page's header first: it says how many pages there are, so that a page the input
  // lacks is refused as the user's mistake rather than failing inside a decoder.
  InputInfo info = header_of(*format, bytes, std::nullopt);
  if (page && *page != info.page) {
    if (const auto refusal = page_refusal(info.pages, page)) {
      throw ImagingError(refusal->code, refusal->message, refusal->field);
    }
    info = header_of(*format, bytes, page);
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
  if (format == InputFormat::heic) return from_raw(decode_heic(bytes, params.page));
  if (format == InputFormat::bmp) return from_raw(decode_bmp(bytes));
  vips::VOption* options = VImage::option()
                               ->set("access", VIPS_ACCESS_SEQUENTIAL)
                               ->set("fail_on", VIPS_FAIL_ON_TRUNCATED);
  if (format == InputFormat::jpeg && params.shrink > 1) options->set("shrink", params.shrink);
  if (format == InputFormat::webp && params.shrink > 1) options->set("scale", 1.0 / params.shrink);
  if (has_pages(format)) {
    if (params.all_frames) {
      options->set("n", -1);
    } else if (params.page) {
      options->set("page", *params.page);
    }
  }
  return vips_load(format, bytes, options);
}

}  // namespace imagesprint
