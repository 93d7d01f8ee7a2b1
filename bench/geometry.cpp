#include "geometry.hpp"

#include <algorithm>
#include <cmath>
#include <vips/vips8>

namespace imagesprint::bench {

namespace fs = std::filesystem;
using vips::VImage;

Size read_upright_size(const fs::path& path) {
  // new_from_file reads the header only; pixels are decoded on demand, never here.
  const VImage image = VImage::new_from_file(path.c_str());
  const int orientation =
      image.get_typeof(VIPS_META_ORIENTATION) ? image.get_int(VIPS_META_ORIENTATION) : 1;
  if (orientation >= 5 && orientation <= 8) return {image.height(), image.width()};
  return {image.width(), image.height()};
}

Size fit_inside(Size in, int width, int height) {
  double scale = static_cast<double>(width) / in.width;
  if (height > 0) scale = std::min(scale, static_cast<double>(height) / in.height);
  if (scale >= 1.0) return in;
  return {std::max(1, static_cast<int>(std::lround(in.width * scale))),
          std::max(1, static_cast<int>(std::lround(in.height * scale)))};
}

WatermarkFont find_watermark_font() {
  for (const auto& [file, family] :
       {std::pair{"/usr/share/fonts/truetype/nanum/NanumGothic.ttf", "NanumGothic"},
        std::pair{"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVu Sans"}}) {
    if (fs::exists(file)) return {file, family};
  }
  return {{}, "sans-serif"};
}

double font_px_per_text_px(const std::string& text, const WatermarkFont& font) {
  constexpr int PROBE_POINTS = 100;
  vips::VOption* options =
      VImage::option()
          ->set("font", (font.family + " " + std::to_string(PROBE_POINTS)).c_str())
          ->set("dpi", 72);
  if (!font.file.empty()) options->set("fontfile", font.file.c_str());
  const VImage probe = VImage::text(text.c_str(), options);
  return static_cast<double>(PROBE_POINTS) / probe.width();
}

int margin_px(double fraction, Size image) {
  return static_cast<int>(std::lround(fraction * std::min(image.width, image.height)));
}

}  // namespace imagesprint::bench
