#pragma once
// Output sizes and watermark layout that every tool must reproduce, computed once by the driver
// so that the peers are handed the same numbers our engine derives from its options.
#include <filesystem>
#include <string>

namespace imagesprint::bench {

struct Size {
  int width = 0;
  int height = 0;
};

/// The upright size of an image file (EXIF orientations 5-8 swap the sides), from its header.
Size read_upright_size(const std::filesystem::path& path);

/// Fit inside width x height (height 0: follow the aspect ratio), keeping the ratio, never
/// enlarging: the geometry of `--width/--height` in our engine, `-resize WxH>` in ImageMagick
/// and `fit: 'inside', withoutEnlargement: true` in sharp.
Size fit_inside(Size in, int width, int height);

/// The font every tool draws the watermark with. Our engine takes NanumGothic (Debian
/// fonts-nanum) for Hangul, falling back to DejaVu Sans; the peers are given the same file.
struct WatermarkFont {
  std::filesystem::path file;
  std::string family;
};
WatermarkFont find_watermark_font();

/// Our engine sizes text so that its rendered width is a fraction of the image width. This
/// measures the font once (libvips text at 72 dpi, so one point is one pixel) and returns the
/// font size in pixels per pixel of wanted text width, for the peers that take a font size.
double font_px_per_text_px(const std::string& text, const WatermarkFont& font);

/// Watermark margin in pixels: a fraction of the shorter side, rounded, as our engine does.
int margin_px(double fraction, Size image);

}  // namespace imagesprint::bench
