#pragma once
// Where our engine's time goes, step by step, and its ceiling, measured in-process on the
// engine's own code (one thread, libvips concurrency 1: one core).
//
// Per step: the engine's pipeline is lazy, so a step's cost is what it adds when the pixels are
// pulled: the pipeline up to step k is built afresh and every pixel pulled and dropped; the step's
// cost is that time minus the same for the step before it. Steps that leave the image untouched
// for the task cost nothing and are not listed.
//
// Ceiling: decode-only (the decoder at the shrink-on-load factor the engine chooses, pixels
// pulled and dropped) plus encode-only (the engine's encoder on the finished pixels, already in
// memory). Their sum is what a pipeline that did nothing else would take; the report says how
// close the whole one gets.
#include <string>
#include <vector>

#include "tasks.hpp"

namespace imagesprint::bench {

struct StepCost {
  std::string name;  // the pipeline's step name ("decode", "resize", "watermark_text" ...)
  double ms = 0;     // per image, median over the rounds
};

struct Ceiling {
  std::vector<StepCost> steps;  // the steps that cost anything, in pipeline order, then "encode"
  double decode_ms = 0;         // decode-only, per image (also the first of `steps`)
  double encode_ms = 0;         // encode-only, per image (also the last of `steps`)
  int images = 0;               // distinct sources measured
  double total_ms() const { return decode_ms + encode_ms; }
};

/// Measures `task`: `rounds` passes over its distinct sources; restores the libvips concurrency
/// it found.
Ceiling measure_ceiling(const TaskSpec& task, int rounds);

}  // namespace imagesprint::bench
