// Step: resolve the output format, decide whether all frames are kept, and compute the sizes.
#include <optional>
#include <string>

#include "domain/resize_plan.hpp"
#include "imaging/imaging_error.hpp"
#include "imaging/pipeline.hpp"

namespace imagesprint {
namespace {

OutputFormat output_of(const InputInfo& in, const ConversionOptions& options) {
  return options.format == OutputFormat::original ? output_for(in.format) : options.format;
}

}  // namespace

// Frames are kept only when the container says they are an animation's: the pages of a TIFF
// (a document, or a pyramid's levels) and the images of a HEIF collection differ in size and
// meaning, and stacking them as frames of one size distorts them. A `page` asks for one.
bool keeps_frames(const InputInfo& info, const ConversionOptions& options) {
  return info.animated && info.pages > 1 && !options.page &&
         supports_animation(output_of(info, options));
}

void plan_geometry(PipelineContext& ctx) {
  const InputInfo& in = ctx.input;
  ctx.output = output_of(in, ctx.options);
  ctx.keep_frames = keeps_frames(in, ctx.options);
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
  if (auto refusal = output_size_refusal(in, ctx.options, ctx.limits)) {
    throw ImagingError(refusal->code, refusal->message, refusal->field);
  }
  ctx.resize_width = plan.resize_width;
  ctx.resize_height = plan.resize_height;
  ctx.out_width = plan.out_width;
  ctx.out_height = plan.out_height;
  ctx.scaled_by = plan.scaled_by;
}

std::optional<Error> output_size_refusal(const InputInfo& in, const ConversionOptions& options,
                                         const EngineLimits& limits) {
  if (in.width <= 0 || in.height <= 0) return std::nullopt;
  const bool keep_frames = keeps_frames(in, options);
  const bool quarter_turn = in.orientation >= 5 && !keep_frames;
  const ResizePlan plan = plan_resize(quarter_turn ? in.height : in.width,
                                      quarter_turn ? in.width : in.height, options);
  const std::uint64_t pixels = std::uint64_t(plan.resize_width) *
                               std::uint64_t(plan.resize_height) *
                               std::uint64_t(keep_frames ? in.pages : 1);
  if (pixels <= limits.max_output_pixels) return std::nullopt;
  const auto megapixels = [](std::uint64_t n) { return std::to_string(n / 1'000'000) + " MP"; };
  return Error{ErrorCode::too_many_pixels,
               "the output would be " + std::to_string(plan.resize_width) + "x" +
                   std::to_string(plan.resize_height) +
                   (keep_frames ? " x " + std::to_string(in.pages) + " frames" : "") + " (" +
                   megapixels(pixels) + "), over the limit of " +
                   megapixels(limits.max_output_pixels) + "; ask for a smaller size",
               options.width ? "width" : "height",
               {},
               false};
}

}  // namespace imagesprint
