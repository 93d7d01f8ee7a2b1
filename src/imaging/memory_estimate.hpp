#pragma once
// How much memory one conversion takes at its peak, known from the header and the plan before a
// pixel is decoded, so that a process can admit conversions by memory (memory_budget.hpp).
//
// libvips streams most of a pipeline a strip at a time, so the peak comes from the stages that
// hold a whole image: encoders that need the whole picture (libwebp, libheif, the GIF and palette
// quantisers), a quarter turn, a smart crop, and libjpeg's coefficient buffer for a progressive
// input. The coefficients are bytes per pixel measured with bench/conversion_memory.py (peak RSS
// of one conversion against its output pixels, per encoder) and rounded up; the benchmark prints
// every corpus pair's measured peak beside this estimate.
#include <cstdint>

#include "imaging/pipeline_context.hpp"

namespace imagesprint {

/// Bytes one conversion may take at its peak, beyond the process's own, after plan_geometry.
std::uint64_t estimate_peak_bytes(const PipelineContext& ctx);

}  // namespace imagesprint
