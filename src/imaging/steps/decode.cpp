// Step: open the decoder with the chosen shrink. Lazy and sequential: pixels are decoded only as
// the encoder pulls them, a strip at a time.
#include "imaging/loaders.hpp"
#include "imaging/pipeline.hpp"

namespace imagesprint {

void decode(PipelineContext& ctx) {
  ctx.image = load_image(ctx.input.format, ctx.bytes, LoadParams{ctx.load_shrink, ctx.keep_frames});
  ctx.page_height = ctx.keep_frames && ctx.image.get_typeof(VIPS_META_PAGE_HEIGHT)
                        ? ctx.image.get_int(VIPS_META_PAGE_HEIGHT)
                        : ctx.image.height();
  if (!ctx.keep_frames && ctx.page_height != ctx.image.height()) {
    ctx.image = ctx.image.crop(0, 0, ctx.image.width(), ctx.page_height);
  }
}

}  // namespace imagesprint
