// Step: open the decoder with the chosen shrink. Lazy and sequential: pixels are decoded only as
// the encoder pulls them, a strip at a time.
#include "imaging/loaders.hpp"
#include "imaging/pipeline.hpp"

namespace imagesprint {

void decode(PipelineContext& ctx) {
  // One page is decoded by its index, the one the header was read from: never a strip of pages
  // of possibly different sizes (a TIFF's pages, a pyramid's levels, a HEIF file's images).
  LoadParams params{ctx.load_shrink, ctx.keep_frames, std::nullopt};
  if (!ctx.keep_frames) params.page = ctx.input.page;
  ctx.image = load_image(ctx.input.format, ctx.bytes, params);
  ctx.page_height = ctx.keep_frames && ctx.image.get_typeof(VIPS_META_PAGE_HEIGHT)
                        ? ctx.image.get_int(VIPS_META_PAGE_HEIGHT)
                        : ctx.image.height();
  if (!ctx.keep_frames && ctx.page_height != ctx.image.height()) {
    ctx.image = ctx.image.crop(0, 0, ctx.image.width(), ctx.page_height);
  }
}

}  // namespace imagesprint
