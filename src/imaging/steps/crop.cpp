// Step: `cover` crops the scaled image to exactly the asked box, keeping the part `gravity` names
// or, for attention/entropy, the part libvips' smartcrop finds most interesting.
#include "imaging/frames.hpp"
#include "imaging/pipeline.hpp"

namespace imagesprint {
namespace {

using vips::VImage;

std::pair<int, int> gravity_origin(Gravity g, int free_x, int free_y) {
  int x = free_x / 2, y = free_y / 2;
  switch (g) {
    case Gravity::north:
      y = 0;
      break;
    case Gravity::northeast:
      x = free_x;
      y = 0;
      break;
    case Gravity::east:
      x = free_x;
      break;
    case Gravity::southeast:
      x = free_x;
      y = free_y;
      break;
    case Gravity::south:
      y = free_y;
      break;
    case Gravity::southwest:
      x = 0;
      y = free_y;
      break;
    case Gravity::west:
      x = 0;
      break;
    case Gravity::northwest:
      x = 0;
      y = 0;
      break;
    default:
      break;
  }
  return {x, y};
}

}  // namespace

void crop(PipelineContext& ctx) {
  const int w = ctx.out_width, h = ctx.out_height;
  if (ctx.image.width() == w && ctx.page_height == h) return;
  const Gravity g = ctx.options.gravity;
  const bool smart = (g == Gravity::attention || g == Gravity::entropy) && ctx.pages == 1;
  if (smart) {
    // Smartcrop analyses the whole image: materialise the resized pixels once.
    ctx.deadline.arm(ctx.image);
    ctx.image = ctx.image.copy_memory().smartcrop(
        w, h,
        VImage::option()->set("interesting", g == Gravity::attention ? VIPS_INTERESTING_ATTENTION
                                                                     : VIPS_INTERESTING_ENTROPY));
  } else {
    // Plain ints, not a structured binding: the lambda captures them, which clang before 16
    // refuses for bindings (the fuzz preset builds with clang 14).
    const auto origin = gravity_origin(g, ctx.image.width() - w, ctx.page_height - h);
    const int x = origin.first, y = origin.second;
    ctx.image = map_frames(ctx.image, ctx.pages, ctx.page_height,
                           [&](const VImage& frame) { return frame.extract_area(x, y, w, h); });
  }
  ctx.page_height = h;
}

}  // namespace imagesprint
