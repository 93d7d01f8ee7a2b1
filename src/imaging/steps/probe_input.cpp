// Step: sniff the format and read the header; limits are checked here, before any decoding.
#include "imaging/loaders.hpp"
#include "imaging/pipeline.hpp"

namespace imagesprint {

void probe_input(PipelineContext& ctx) {
  ctx.input = read_header(ctx.bytes, ctx.limits);
}

}  // namespace imagesprint
