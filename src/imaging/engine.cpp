// The engine's entry points: run the pipeline, turn whatever escapes into an Error.
#include "imaging/engine.hpp"

#include <optional>

#include "imaging/codecs/format_sniffer.hpp"
#include "imaging/failure_cause.hpp"
#include "imaging/imaging_error.hpp"
#include "imaging/interlace_gate.hpp"
#include "imaging/loaders.hpp"
#include "imaging/memory_budget.hpp"
#include "imaging/memory_estimate.hpp"
#include "imaging/pipeline.hpp"

namespace imagesprint {
namespace {

/// A libvips failure in a conversion whose header was read: the input's fault only if it does
/// not decode on its own (failure_cause.hpp says why the error text cannot decide), or the logo's
/// if that does not; else the engine's.
Error library_failure(const PipelineContext& ctx, std::string_view text) {
  LoadParams params{1, ctx.keep_frames, std::nullopt};
  if (!ctx.keep_frames) params.page = ctx.input.page;
  if (const auto complaint = decode_failure(ctx.input.format, ctx.bytes, params))
    return damaged_input(*complaint);
  if (ctx.options.watermark.kind == WatermarkKind::image && !ctx.watermark_bytes.empty()) {
    if (const auto logo = sniff_format(ctx.watermark_bytes)) {
      if (const auto complaint = decode_failure(*logo, ctx.watermark_bytes, {})) {
        Error error = damaged_input(*complaint);
        error.message = "watermark image: " + error.message;
        error.field = "watermark_image";
        return error;
      }
    }
  }
  // The text may be another conversion's (another user's): logged, not shown.
  return Error{ErrorCode::internal, "image processing failed", {}, std::string(text), false};
}

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
  try {
    return read_header(bytes, limits, page);
  } catch (const vips::VError& e) {
    // The header was sniffed as a known format and its decoder could not read it.
    const auto format = sniff_format(bytes);
    Error error = damaged_input(format ? decoder_line(e.what(), *format) : "");
    clear_library_errors();
    return error;
  } catch (...) {
    return to_error(std::current_exception(), false);
  }
}

Expected<ConversionResult> convert(const ConversionInput& input, const ConversionOptions& options,
                                   const EngineLimits& limits) {
  init_engine();
  PipelineContext ctx(input, options, limits);
  std::optional<InterlaceGate> gate;
  MemoryBudget::Reservation memory;
  try {
    for (const NamedStep& step : conversion_pipeline()) {
      step.run(ctx);
      // The gate is taken once the header says the input is a progressive JPEG.
      if (step.run == &probe_input)
        gate.emplace(ctx.input.interlaced && ctx.input.format == InputFormat::jpeg);
      // Memory is reserved once the plan says how large the output is, before any decoding.
      if (step.run == &plan_geometry) {
        ctx.result.memory_estimate = estimate_peak_bytes(ctx);
        bool waited = false;
        memory = conversion_memory_budget().reserve(ctx.result.memory_estimate, &waited);
        if (waited) ctx.deadline.restart();  // waiting is not converting
      }
    }
    ctx.result.input = ctx.input;
    return std::move(ctx.result);
  } catch (const vips::VError& e) {
    const std::string text = e.what();
    clear_library_errors();
    if (ctx.deadline.passed()) return to_error(std::current_exception(), true);
    if (!gate) {  // the header could not be read
      const auto format = sniff_format(ctx.bytes);
      return damaged_input(format ? decoder_line(text, *format) : "");
    }
    // (Still holding a progressive JPEG's turn: the check decodes it again.)
    return library_failure(ctx, text);
  } catch (...) {
    return to_error(std::current_exception(), ctx.deadline.passed());
  }
}

}  // namespace imagesprint
