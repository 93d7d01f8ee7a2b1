#include "imaging/frames.hpp"

#include <optional>
#include <vector>

namespace imagesprint {

using vips::VImage;

VImage with_page_height(const VImage& image, int pages, int page_height) {
  if (pages <= 1) return image;
  VImage out = image.copy();
  out.set(VIPS_META_PAGE_HEIGHT, page_height);
  return out;
}

namespace {

/// The one factor for both axes that `scaled_by` asks for, if it rounds to width x height the way
/// vips_resize rounds its output size; else nullopt.
std::optional<double> common_scale(const VImage& image, int width, int height, ScaledBy scaled_by) {
  if (scaled_by == ScaledBy::none) return std::nullopt;
  const double scale = scaled_by == ScaledBy::width ? static_cast<double>(width) / image.width()
                                                    : static_cast<double>(height) / image.height();
  const auto rounded = [&](int side) { return static_cast<int>(side * scale + 0.5); };
  if (rounded(image.width()) != width || rounded(image.height()) != height) return std::nullopt;
  return scale;
}

}  // namespace

VImage resize_frames(VImage image, int pages, int width, int page_height, ScaledBy scaled_by) {
  double hscale = static_cast<double>(width) / image.width();
  // Scaling the whole strip by (frames x new height) / old height keeps every frame an exact
  // number of rows.
  double vscale = static_cast<double>(page_height) * pages / image.height();
  // Why one factor when the ratio is kept: scaling the other side to its rounded size stretches
  // it by up to half a pixel over the whole image, which moves every output pixel a little (on
  // sharp's own benchmark image the output then differed from sharp's in every block). With
  // one factor, the same input gives sharp's pixels exactly.
  const auto common =
      pages == 1 ? common_scale(image, width, page_height, scaled_by) : std::nullopt;
  if (common) hscale = vscale = *common;
  const bool alpha = image.has_alpha();
  const VipsBandFormat format = image.format();
  if (alpha) image = image.premultiply();
  const auto lanczos3 = [&](double h, double v) {
    return image.resize(h, VImage::option()->set("vscale", v)->set("kernel", VIPS_KERNEL_LANCZOS3));
  };
  VImage resized = lanczos3(hscale, vscale);
  if (common && (resized.width() != width || resized.height() != page_height)) {
    // The rounding check above mirrors vips_resize's; should a libvips version round otherwise,
    // the planned size still wins (a single frame: no strip to keep whole).
    resized = lanczos3(static_cast<double>(width) / image.width(),
                       static_cast<double>(page_height) / image.height());
  }
  if (alpha) resized = resized.unpremultiply().cast(format);
  return with_page_height(resized, pages, page_height);
}

VImage map_frames(const VImage& image, int pages, int page_height,
                  const std::function<VImage(const VImage&)>& fn) {
  if (pages <= 1) return fn(image);
  std::vector<VImage> frames;
  frames.reserve(pages);
  for (int i = 0; i < pages; ++i)
    frames.push_back(fn(image.crop(0, i * page_height, image.width(), page_height)));
  const int new_height = frames.front().height();
  VImage joined = VImage::arrayjoin(frames, VImage::option()->set("across", 1));
  return with_page_height(joined, pages, new_height);
}

}  // namespace imagesprint
