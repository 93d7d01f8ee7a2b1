#pragma once
// The options form's live preview: the first image rendered by the same engine, with the same
// options, at a small size. The geometry is planned at full size first (so the reported output
// size is the real one) and then scaled down to the preview box; watermark size and margin are
// fractions of the output, so the scaled render looks like the full one, only smaller.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "domain/conversion_options.hpp"
#include "domain/expected.hpp"
#include "imaging/engine.hpp"

namespace imagesprint {

struct PreviewRequest {
  std::span<const std::uint8_t> image;
  std::span<const std::uint8_t> watermark_image;  // empty if none
  ConversionOptions options;
  int box = DEFAULT_BOX;  // the preview's longer side at most, pixels

  static constexpr int DEFAULT_BOX = 640;
  static constexpr int MIN_BOX = 16;
  static constexpr int MAX_BOX = 1600;
  // A preview is interactive: a slow option (AVIF effort 9, a huge image) gives up sooner than
  // a job would.
  static constexpr double MAX_SECONDS = 10.0;
};

struct Preview {
  std::vector<std::uint8_t> bytes;  // the rendered preview
  OutputFormat format = OutputFormat::jpeg;
  int width = 0;  // of the preview
  int height = 0;
  int output_width = 0;  // of the full-size result the job would produce
  int output_height = 0;
  OutputFormat output_format = OutputFormat::jpeg;
  std::int64_t estimated_bytes = 0;  // the preview's bytes scaled by area: a rough guide
};

/// Renders the preview. TIFF is shown as PNG (browsers do not display TIFF); max_bytes is not
/// searched (it would cost a full-size encode). Errors are the engine's (bad image, limits).
Expected<Preview> render_preview(const PreviewRequest& request, const EngineLimits& limits = {});

}  // namespace imagesprint
