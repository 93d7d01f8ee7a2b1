// Step: choose how much the decoder itself reduces the image (JPEG DCT scaling, WebP scaled
// decode). This is the biggest single speed lever for downscaling.
#include <algorithm>

#include "imaging/pipeline.hpp"

namespace imagesprint {

void shrink_on_load(PipelineContext& ctx) {
  ctx.load_shrink = 1;
  if (ctx.input.format != InputFormat::jpeg && ctx.input.format != InputFormat::webp) return;
  // The reduction on the axis that shrinks least (for `fill` the axes differ; never shrink
  // either below its target).
  const double factor = std::min(static_cast<double>(ctx.oriented_width) / ctx.resize_width,
                                 static_cast<double>(ctx.oriented_height) / ctx.resize_height);
  // Policy (sharp's "fast shrink on load"): the largest of 8, 4, 2 that does not exceed the
  // reduction; lanczos3 does the residual (< 2x). vips_thumbnail instead keeps at least a 2x
  // residual, so at a 3.8x reduction it decodes at full size: 1.6x slower here (DESIGN.md) for
  // a difference the benchmark's SSIM column shows to be negligible.
  for (const int shrink : {8, 4, 2}) {
    if (factor >= shrink) {
      ctx.load_shrink = shrink;
      break;
    }
  }
  // When the decoder would do (almost) all of the reduction, halve its share: libjpeg's scaled
  // IDCT rounds sizes up and filters like a box, so a reduction of [s, s+1) done entirely by it
  // measurably loses detail (T2's SSIM fell from 0.969 to 0.964 at exactly 2x); lanczos3 then
  // does a proper >= 2x residual. sharp applies the same rule.
  if (ctx.load_shrink > 1 && static_cast<int>(factor) == ctx.load_shrink) ctx.load_shrink /= 2;
}

}  // namespace imagesprint
