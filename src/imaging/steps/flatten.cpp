// Step: an output without alpha (JPEG, BMP) gets the image flattened onto `background`.
#include <vector>

#include "imaging/pipeline.hpp"

namespace imagesprint {

void flatten(PipelineContext& ctx) {
  if (!ctx.image.has_alpha() || supports_alpha(ctx.output)) return;
  const Rgba bg = ctx.options.background;
  std::vector<double> background{double(bg.r), double(bg.g), double(bg.b)};
  if (ctx.image.bands() == 2) background = {0.2126 * bg.r + 0.7152 * bg.g + 0.0722 * bg.b};
  ctx.image = ctx.image.flatten(vips::VImage::option()->set("background", background));
}

}  // namespace imagesprint
