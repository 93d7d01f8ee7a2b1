#include "imaging/frames.hpp"

#include <vector>

namespace imagesprint {

using vips::VImage;

VImage with_page_height(const VImage& image, int pages, int page_height) {
  if (pages <= 1) return image;
  VImage out = image.copy();
  out.set(VIPS_META_PAGE_HEIGHT, page_height);
  return out;
}

VImage resize_frames(VImage image, int pages, int width, int page_height) {
  const double hscale = static_cast<double>(width) / image.width();
  // Scaling the whole strip by (frames x new height) / old height keeps every frame an exact
  // number of rows.
  const double vscale = static_cast<double>(page_height) * pages / image.height();
  const bool alpha = image.has_alpha();
  const VipsBandFormat format = image.format();
  if (alpha) image = image.premultiply();
  image = image.resize(
      hscale, VImage::option()->set("vscale", vscale)->set("kernel", VIPS_KERNEL_LANCZOS3));
  if (alpha) image = image.unpremultiply().cast(format);
  return with_page_height(image, pages, page_height);
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
