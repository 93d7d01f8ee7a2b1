#pragma once
// The conversion pipeline: every step has the same signature and lives in its own file under
// steps/; conversion_pipeline() declares their order, once.
#include <span>
#include <string_view>

#include "imaging/pipeline_context.hpp"

namespace imagesprint {

using Step = void (*)(PipelineContext&);

struct NamedStep {
  std::string_view name;
  Step run;
};

std::span<const NamedStep> conversion_pipeline();

// The steps, in pipeline order. A step whose options are absent leaves the image untouched.
void probe_input(PipelineContext& ctx);      // sniff the format, read the header, check limits
void plan_geometry(PipelineContext& ctx);    // output format, frames, target sizes
void shrink_on_load(PipelineContext& ctx);   // choose the decoder's integer shrink
void decode(PipelineContext& ctx);           // decode (lazily, sequentially) with that shrink
void resize(PipelineContext& ctx);           // residual resize, alpha premultiplied
void auto_orient(PipelineContext& ctx);      // apply EXIF orientation to the (small) result
void crop(PipelineContext& ctx);             // cover: gravity or smart crop to the box
void to_srgb(PipelineContext& ctx);          // ICC/CMYK/Lab/16-bit to 8-bit sRGB
void flatten(PipelineContext& ctx);          // drop alpha onto `background` if the output lacks it
void watermark_text(PipelineContext& ctx);   // text watermark, 9-grid placed
void watermark_image(PipelineContext& ctx);  // logo watermark, placed or tiled
void metadata(PipelineContext& ctx);         // strip / keep / copyright
void encode(PipelineContext& ctx);           // write the output (searching for max_bytes)

}  // namespace imagesprint
