// Step: turn the image upright from its EXIF orientation. For HEIC the container's transforms
// were already applied by libheif while decoding, so there is no orientation left to apply.
#include "imaging/pipeline.hpp"

namespace imagesprint {

void auto_orient(PipelineContext& ctx) {
  if (ctx.keep_frames || ctx.input.orientation == 1) return;
  // Rotations and vertical flips read the image out of order, which a sequential decode cannot
  // serve: materialise the (already resized, so small) image first.
  ctx.deadline.arm(ctx.image);
  ctx.image = ctx.image.copy_memory().autorot();
  ctx.page_height = ctx.image.height();
}

}  // namespace imagesprint
