// Step: sniff the format and read the header; limits are checked here, before any decoding.
// The header read is that of the page that will be converted (the one asked for, else the
// format's default), so every later step plans with that page's size; a page the input does not
// have is refused here, naming the field.
#include "imaging/loaders.hpp"
#include "imaging/pipeline.hpp"

namespace imagesprint {

void probe_input(PipelineContext& ctx) {
  ctx.input = read_header(ctx.bytes, ctx.limits, ctx.options.page);
}

}  // namespace imagesprint
