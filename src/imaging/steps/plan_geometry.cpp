// Step: resolve the output format, decide whether all frames are kept, and compute the sizes.
#include <string>

#include "domain/resize_plan.hpp"
#include "imaging/imaging_error.hpp"
#include "imaging/pipeline.hpp"

namespace imagesprint {

void plan_geometry(PipelineContext& ctx) {
  const InputInfo& in = ctx.input;
  ctx.output =
      ctx.options.format == OutputFormat::original ? output_for(in.format) : ctx.options.format;
  ctx.keep_frames = in.pages > 1 && supports_animation(ctx.output);
  ctx.pages = ctx.keep_frames ? in.pages : 1;
  const std::uint64_t all_pixels = std::uint64_t(in.width) * std::uint64_t(in.height) * ctx.pages;
  if (all_pixels > ctx.limits.max_input_pixels) {
    throw ImagingError(ErrorCode::too_many_pixels,
                       "the animation has " + std::to_string(ctx.pages) + " frames of " +
                           std::to_string(in.width) + "x" + std::to_string(in.height) +
                           ", more pixels in all than the limit allows");
  }
  // EXIF orientations 5-8 turn the image a quarter: width and height swap when upright.
  const bool quarter_turn = in.orientation >= 5 && !ctx.keep_frames;
  ctx.oriented_width = quarter_turn ? in.height : in.width;
  ctx.oriented_height = quarter_turn ? in.width : in.height;

  const ResizePlan plan = plan_resize(ctx.oriented_width, ctx.oriented_height, ctx.options);
  constexpr int max_dim = ConversionOptions::MAX_DIMENSION;
  if (plan.resize_width > max_dim || plan.resize_height > max_dim) {
    throw ImagingError(ErrorCode::invalid_option,
                       "the resized image would be " + std::to_string(plan.resize_width) + "x" +
                           std::to_string(plan.resize_height) + ", over the maximum of " +
                           std::to_string(max_dim) + " pixels a side",
                       plan.resize_width > max_dim ? "width" : "height");
  }
  ctx.resize_width = plan.resize_width;
  ctx.resize_height = plan.resize_height;
  ctx.out_width = plan.out_width;
  ctx.out_height = plan.out_height;
}

}  // namespace imagesprint
