// The engine's entry points: run the pipeline, turn whatever escapes into an Error.
#include "imaging/engine.hpp"

#include <optional>

#include "imaging/codecs/format_sniffer.hpp"
#include "imaging/imaging_error.hpp"
#include "imaging/interlace_gate.hpp"
#include "imaging/loaders.hpp"
#include "imaging/pipeline.hpp"

namespace imagesprint {
namespace {

/// Clears libvips' per-thread error buffer whatever way a conversion ends.
struct VipsErrorScope {
  ~VipsErrorScope() { vips_error_clear(); }
};

}  // namespace

Expected<InputFormat> detect_format(std::span<const std::uint8_t> head) {
  if (const auto format = sniff_format(head)) return *format;
  return Error{ErrorCode::unsupported_format,
               "unsupported file type (" + describe_unaccepted(head) +
                   "); accepted: JPEG, PNG, WebP, AVIF, GIF, TIFF, BMP, HEIC",
               {},
               {},
               false};
}

Expected<InputInfo> probe(std::span<const std::uint8_t> bytes, const EngineLimits& limits,
                          std::optional<int> page) {
  init_engine();
  const VipsErrorScope scope;
  try {
    return read_header(bytes, limits, page);
  } catch (...) {
    return to_error(std::current_exception(), false);
  }
}

Expected<ConversionResult> convert(const ConversionInput& input, const ConversionOptions& options,
                                   const EngineLimits& limits) {
  init_engine();
  const VipsErrorScope scope;
  PipelineContext ctx(input, options, limits);
  std::optional<InterlaceGate> gate;
  try {
    for (const NamedStep& step : conversion_pipeline()) {
      step.run(ctx);
      // The gate is taken once the header says the input is a progressive JPEG.
      if (step.run == &probe_input)
        gate.emplace(ctx.input.interlaced && ctx.input.format == InputFormat::jpeg);
    }
    ctx.result.input = ctx.input;
    return std::move(ctx.result);
  } catch (...) {
    return to_error(std::current_exception(), ctx.deadline.passed());
  }
}

}  // namespace imagesprint
