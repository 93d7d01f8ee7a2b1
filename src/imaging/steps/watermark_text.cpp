// Step: a text watermark rendered with Pango through vips_text, from an explicitly loaded font
// file (NanumGothic, so Korean renders instead of boxes), sized to a fraction of the width.
#include <algorithm>
#include <string>

#include "imaging/overlay.hpp"
#include "imaging/pipeline.hpp"
#include "imaging/vips_runtime.hpp"

namespace imagesprint {
namespace {

using vips::VImage;

/// vips_text takes Pango markup: user text must not be able to inject tags.
std::string escape_markup(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

VImage render(const std::string& markup, int dpi) {
  const WatermarkFont& font = watermark_font();
  vips::VOption* options =
      VImage::option()->set("font", (font.family + " 12").c_str())->set("dpi", dpi);
  if (!font.file.empty()) options->set("fontfile", font.file.c_str());
  return VImage::text(markup.c_str(), options);
}

}  // namespace

void watermark_text(PipelineContext& ctx) {
  const WatermarkOptions& w = ctx.options.watermark;
  if (w.kind != WatermarkKind::text || w.opacity <= 0.0) return;
  const int frame_w = ctx.image.width(), frame_h = ctx.page_height;
  const std::string markup = escape_markup(w.text);

  // Render once to measure, then at the resolution that gives the asked width.
  constexpr int PROBE_DPI = 300;
  const VImage probe = render(markup, PROBE_DPI);
  const double target_w = std::max(1.0, w.size * frame_w);
  double dpi = PROBE_DPI * target_w / probe.width();
  dpi = std::min(dpi, PROBE_DPI * 0.9 * frame_h / probe.height());  // never taller than the frame
  const VImage mask = render(markup, std::clamp(static_cast<int>(dpi), 1, 10000));

  const double alpha = w.opacity * w.color.a / 255.0;
  const VImage colour =
      mask.new_from_image({double(w.color.r), double(w.color.g), double(w.color.b)});
  const VImage overlay =
      colour.bandjoin((mask * alpha).cast(VIPS_FORMAT_UCHAR))
          .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  const OverlayPlacement placement{w.position, margin_pixels(w.margin, frame_w, frame_h), false};
  ctx.image = composite_overlay(ctx.image, overlay, ctx.pages, frame_h, placement);
}

}  // namespace imagesprint
