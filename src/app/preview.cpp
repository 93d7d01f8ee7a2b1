#include "app/preview.hpp"

#include <algorithm>
#include <cmath>

#include "domain/resize_plan.hpp"

namespace imagesprint {

Expected<Preview> render_preview(const PreviewRequest& request, const EngineLimits& limits) {
  auto info = probe(request.image, limits, request.options.page);
  if (!info) return info.error();
  // The preview renders small, but it shows what the job would do: refuse what the job would.
  if (auto refusal = output_size_refusal(*info, request.options, limits)) return *refusal;
  // Plan as the job would, on the upright size (EXIF orientations 5-8 swap the sides; animated
  // inputs keep their frames as stored).
  const bool quarter_turn = info->orientation >= 5 && !keeps_frames(*info, request.options);
  const int upright_width = quarter_turn ? info->height : info->width;
  const int upright_height = quarter_turn ? info->width : info->height;
  const ResizePlan full = plan_resize(upright_width, upright_height, request.options);

  const int box = std::clamp(request.box, PreviewRequest::MIN_BOX, PreviewRequest::MAX_BOX);
  const double scale =
      std::min(1.0, static_cast<double>(box) / std::max(full.out_width, full.out_height));

  ConversionOptions options = request.options;
  options.max_bytes.reset();
  options.timeout_seconds = std::min(options.timeout_seconds, PreviewRequest::MAX_SECONDS);
  if (options.format == OutputFormat::tiff) options.format = OutputFormat::png;
  if (scale < 1.0) {
    // The full plan fixed the shape (and, for cover, the crop); the preview asks for that shape
    // at the smaller size. `enlarge` is on because the plan has already applied the user's rule.
    options.width = std::max(1, static_cast<int>(std::lround(full.out_width * scale)));
    options.height = std::max(1, static_cast<int>(std::lround(full.out_height * scale)));
    if (options.fit != Fit::cover) options.fit = Fit::fill;
    options.enlarge = true;
  }

  auto result = convert({request.image, request.watermark_image}, options, limits);
  if (!result) return result.error();
  Preview preview;
  preview.format = result->format;
  preview.width = result->width;
  preview.height = result->height;
  preview.output_width = full.out_width;
  preview.output_height = full.out_height;
  preview.output_format =
      request.options.format == OutputFormat::original ? result->format : request.options.format;
  preview.estimated_bytes =
      static_cast<std::int64_t>(static_cast<double>(result->bytes.size()) / (scale * scale));
  preview.bytes = std::move(result->bytes);
  return preview;
}

}  // namespace imagesprint
