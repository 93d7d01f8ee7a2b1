#pragma once
// What flows through the pipeline: the user's options (read-only) apart from the values the
// steps compute along the way (imgproxy's Context). Each computed field says which step sets it.
#include <cstdint>
#include <span>

#include <vips/vips8>

#include "domain/conversion_options.hpp"
#include "domain/resize_plan.hpp"
#include "imaging/deadline.hpp"
#include "imaging/engine.hpp"

namespace imagesprint {

struct PipelineContext {
  PipelineContext(const ConversionInput& in, const ConversionOptions& opts, const EngineLimits& lim)
      : bytes(in.bytes),
        watermark_bytes(in.watermark_image),
        placeholder(in.placeholder),
        options(opts),
        limits(lim),
        deadline(opts.timeout_seconds) {}

  // Given.
  std::span<const std::uint8_t> bytes;            // the input file
  std::span<const std::uint8_t> watermark_bytes;  // the logo for an image watermark, may be empty
  bool placeholder;                               // make the output's BlurHash too
  const ConversionOptions& options;
  const EngineLimits& limits;
  Deadline deadline;  // the per-image time budget, running from construction

  // Computed.
  InputInfo input;                           // probe: header facts, before any decoding
  OutputFormat output = OutputFormat::jpeg;  // plan: the resolved output format
  bool keep_frames = false;                  // plan: animation, no `page`, animating output
  int pages = 1;                             // plan: frames that will be decoded
  int oriented_width = 0;                    // plan: input size after auto-orientation
  int oriented_height = 0;
  int resize_width = 0;  // plan: size of one frame after resize, upright
  int resize_height = 0;
  int out_width = 0;  // plan: final size of one frame (after a cover crop)
  int out_height = 0;
  ScaledBy scaled_by = ScaledBy::none;  // plan: the upright side whose size set the scale
  int load_shrink = 1;                  // shrink_on_load: integer reduction done by the decoder
  vips::VImage image;                   // decode onwards: the image as it flows
  int page_height = 0;                  // decode onwards: height of one frame in `image`
  int keep = 0;                         // metadata: VipsForeignKeep flags for the encoder
  ConversionResult result;              // encode: the output
};

}  // namespace imagesprint
