// Step: a text watermark rendered with Pango from an explicitly loaded font file (NanumGothic, so
// Korean renders instead of boxes), sized to a fraction of the width, coloured, placed on the
// 9-grid.
#include <algorithm>

#include "imaging/overlay.hpp"
#include "imaging/pipeline.hpp"
#include "imaging/text_renderer.hpp"

namespace imagesprint {

using vips::VImage;

void watermark_text(PipelineContext& ctx) {
  const WatermarkOptions& w = ctx.options.watermark;
  if (w.kind != WatermarkKind::text || w.opacity <= 0.0) return;
  const int frame_w = ctx.image.width(), frame_h = ctx.page_height;
  const VImage mask =
      render_text_mask(w.text, static_cast<int>(std::max(1.0, w.size * frame_w)), frame_h);

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
