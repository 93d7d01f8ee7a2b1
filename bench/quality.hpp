#pragma once
// Output quality beside speed: every tool's output is compared with a slow, high-quality
// reference resize of the same source, so that no speed is bought with visibly worse images.
#include <filesystem>
#include <map>
#include <string>
#include <tuple>
#include <vips/vips8>

namespace imagesprint::bench {

struct QualityScore {
  double ssim = 0;  // mean SSIM of the luminance (1 = identical), averaged over the images
  double mad = 0;   // mean absolute difference per RGB sample, 0-255, averaged over the images
  int images = 0;   // outputs scored
  double worst_ssim = 1;    // the lowest SSIM of any one image
  std::string worst_image;  // the source it came from (file name)
};

class QualityJudge {
 public:
  /// Compares `output` with the reference for `source` at the output's own size, over the top
  /// `compared_fraction` of the image. Throws vips::VError when a file cannot be read.
  QualityScore score(const std::filesystem::path& source, const std::filesystem::path& output,
                     double compared_fraction);

 private:
  /// Full decode (no shrink-on-load), upright, sRGB, then lanczos3 straight to width x height
  /// with no box pre-shrink (gap 0): slow, and as good as libvips resizes. Cached in memory.
  const vips::VImage& reference(const std::filesystem::path& source, int width, int height);

  std::map<std::tuple<std::string, int, int>, vips::VImage> references_;
};

/// The mean of several scores, weighted by their image counts; the worst of their worst.
QualityScore combine(const QualityScore& a, const QualityScore& b);

}  // namespace imagesprint::bench
