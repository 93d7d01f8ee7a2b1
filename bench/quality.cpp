// SSIM (Wang, Bovik, Sheikh, Simoncelli 2004) written by hand from libvips operations, because
// libvips has no SSIM operation: local means, variances and covariance come from a Gaussian
// window (sigma 1.5, cut at 1% amplitude: the paper's 11x11 window) over the luminance, then
//   SSIM = (2 mx my + C1)(2 sxy + C2) / ((mx^2 + my^2 + C1)(sx^2 + sy^2 + C2)),
// C1 = (0.01 L)^2, C2 = (0.03 L)^2 with L = 255, averaged over the image minus a 5-pixel
// border where the window would leave the picture.
#include "quality.hpp"

#include <algorithm>

namespace imagesprint::bench {
namespace {

namespace fs = std::filesystem;
using vips::VImage;

constexpr double SSIM_SIGMA = 1.5;
constexpr double SSIM_MIN_AMPLITUDE = 0.01;
constexpr int SSIM_BORDER = 5;
constexpr double C1 = (0.01 * 255) * (0.01 * 255);
constexpr double C2 = (0.03 * 255) * (0.03 * 255);

/// 8-bit sRGB, three bands, upright: what every tool is asked to produce before encoding.
VImage upright_srgb(VImage image) {
  image = image.autorot();
  if (image.get_typeof(VIPS_META_ICC_NAME)) {
    image = image.icc_transform(
        "srgb", VImage::option()->set("embedded", true)->set("intent", VIPS_INTENT_PERCEPTUAL));
  } else if (image.interpretation() != VIPS_INTERPRETATION_sRGB || image.bands() < 3) {
    image = image.colourspace(VIPS_INTERPRETATION_sRGB);
  }
  if (image.has_alpha())
    image = image.flatten(VImage::option()->set("background", std::vector<double>{255, 255, 255}));
  if (image.bands() > 3) image = image.extract_band(0, VImage::option()->set("n", 3));
  if (image.format() != VIPS_FORMAT_UCHAR) image = image.cast(VIPS_FORMAT_UCHAR);
  return image;
}

/// Rec. 601 luma of 8-bit sRGB, as float: the usual input of SSIM.
VImage luma(const VImage& rgb) {
  return rgb.recomb(VImage::new_matrixv(3, 1, 0.299, 0.587, 0.114))
      .cast(VIPS_FORMAT_FLOAT)
      .copy_memory();
}

VImage window(const VImage& image) {
  return image.gaussblur(SSIM_SIGMA, VImage::option()
                                         ->set("precision", VIPS_PRECISION_FLOAT)
                                         ->set("min_ampl", SSIM_MIN_AMPLITUDE));
}

double ssim(const VImage& x, const VImage& y) {
  const VImage mx = window(x).copy_memory();
  const VImage my = window(y).copy_memory();
  const VImage sxx = window(x * x) - mx * mx;
  const VImage syy = window(y * y) - my * my;
  const VImage sxy = window(x * y) - mx * my;
  const VImage map =
      ((2 * mx * my + C1) * (2 * sxy + C2)) / ((mx * mx + my * my + C1) * (sxx + syy + C2));
  const int border = std::min({SSIM_BORDER, (map.width() - 1) / 2, (map.height() - 1) / 2});
  return map.crop(border, border, map.width() - 2 * border, map.height() - 2 * border).avg();
}

}  // namespace

const VImage& QualityJudge::reference(const fs::path& source, int width, int height) {
  const auto key = std::make_tuple(source.string(), width, height);
  const auto found = references_.find(key);
  if (found != references_.end()) return found->second;
  const VImage full = upright_srgb(VImage::new_from_file(source.c_str()));
  const VImage resized =
      full.resize(static_cast<double>(width) / full.width(),
                  VImage::option()
                      ->set("vscale", static_cast<double>(height) / full.height())
                      ->set("kernel", VIPS_KERNEL_LANCZOS3)
                      ->set("gap", 0.0));
  return references_.emplace(key, resized.copy_memory()).first->second;
}

QualityScore QualityJudge::score(const fs::path& source, const fs::path& output,
                                 double compared_fraction) {
  const VImage out = upright_srgb(VImage::new_from_file(output.c_str())).copy_memory();
  const VImage& ref = reference(source, out.width(), out.height());
  // resize can round a side one pixel away from the asked size: compare the common area.
  const int width = std::min(out.width(), ref.width());
  const int height =
      std::max(1, static_cast<int>(std::min(out.height(), ref.height()) * compared_fraction));
  const VImage a = out.crop(0, 0, width, height);
  const VImage b = ref.crop(0, 0, width, height);
  QualityScore s;
  s.ssim = ssim(luma(a), luma(b));
  s.mad = (a.cast(VIPS_FORMAT_FLOAT) - b.cast(VIPS_FORMAT_FLOAT)).abs().avg();
  s.images = 1;
  s.worst_ssim = s.ssim;
  s.worst_image = source.filename().string();
  return s;
}

QualityScore combine(const QualityScore& a, const QualityScore& b) {
  const int n = a.images + b.images;
  if (n == 0) return {};
  QualityScore c;
  c.ssim = (a.ssim * a.images + b.ssim * b.images) / n;
  c.mad = (a.mad * a.images + b.mad * b.images) / n;
  c.images = n;
  const QualityScore& worse = (b.images > 0 && b.worst_ssim < a.worst_ssim) ? b : a;
  c.worst_ssim = worse.worst_ssim;
  c.worst_image = worse.worst_image;
  return c;
}

}  // namespace imagesprint::bench
