// Step: the residual resize after shrink-on-load, in the stored orientation (auto_orient then
// turns the small result). Lanczos3, alpha premultiplied; when the ratio is kept, both axes by
// the deciding side's factor, as sharp does (frames.hpp).
#include "imaging/frames.hpp"
#include "imaging/pipeline.hpp"

namespace imagesprint {

void resize(PipelineContext& ctx) {
  // Orientations 5-8 are a quarter turn: the stored image is the upright target turned sideways.
  const bool swap = !ctx.keep_frames && ctx.input.orientation >= 5;
  const int width = swap ? ctx.resize_height : ctx.resize_width;
  const int height = swap ? ctx.resize_width : ctx.resize_height;
  if (ctx.image.width() == width && ctx.page_height == height) return;
  ScaledBy scaled_by = ctx.scaled_by;
  if (swap && scaled_by != ScaledBy::none)
    scaled_by = scaled_by == ScaledBy::width ? ScaledBy::height : ScaledBy::width;
  ctx.image = resize_frames(ctx.image, ctx.pages, width, height, scaled_by);
  ctx.page_height = height;
}

}  // namespace imagesprint
