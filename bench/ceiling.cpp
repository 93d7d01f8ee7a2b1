#include "ceiling.hpp"

#include <time.h>
#include <algorithm>

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "domain/options_json.hpp"
#include "imaging/encoders.hpp"
#include "imaging/engine.hpp"
#include "imaging/pipeline.hpp"

namespace imagesprint::bench {
namespace {

/// Process CPU time, not wall time: the machine may be busy with other work (the figures are
/// compared with the tools' CPU ms per image), and libvips computes on its own worker thread
/// even at concurrency 1, so the calling thread's CPU time alone would miss it. Nothing else of
/// this process runs while the ceiling is measured.
struct Clock {
  using time_point = std::chrono::duration<double, std::milli>;
  static time_point now() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return time_point(static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6);
  }
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

std::vector<std::uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The task as the engine's options (what `imagesprint convert` builds from the same flags).
ConversionOptions options_for(const TaskSpec& task) {
  nlohmann::json j = {{"width", task.width}, {"format", task.format}, {"quality", task.quality}};
  if (task.height > 0) j["height"] = task.height;
  if (task.watermark) {
    j["watermark"] = {{"type", "text"},
                      {"text", task.watermark->text},
                      {"position", "BOTTOM_RIGHT"},
                      {"opacity", task.watermark->opacity}};
  }
  auto parsed = parse_options(j);
  if (!parsed.ok()) throw std::runtime_error("ceiling: options refused: " + parsed.error().message);
  return *parsed;
}

int drop_pixels(VipsRegion*, void*, void*, void*, gboolean*) {
  return 0;
}

/// Pulls every pixel of `image` through its pipeline and drops it.
void pull(const vips::VImage& image) {
  if (vips_sink(image.get_image(), nullptr, drop_pixels, nullptr, nullptr, nullptr))
    throw vips::VError();
}

double ms_since(Clock::time_point start) {
  return (Clock::now() - start).count();
}

const std::size_t NOT_FOUND = static_cast<std::size_t>(-1);

std::size_t step_index(std::string_view name) {
  const auto steps = conversion_pipeline();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].name == name) return i;
  }
  return NOT_FOUND;
}

/// Time to build the pipeline from "decode" through step `last` and pull its pixels.
double prefix_ms(std::span<const std::uint8_t> bytes, const ConversionOptions& options,
                 const EngineLimits& limits, std::size_t last) {
  const auto steps = conversion_pipeline();
  const std::size_t decode = step_index("decode");
  PipelineContext ctx(ConversionInput{bytes, {}}, options, limits);
  for (std::size_t i = 0; i < decode; ++i) steps[i].run(ctx);  // header and plan: no pixels
  const auto start = Clock::now();
  for (std::size_t i = decode; i <= last; ++i) steps[i].run(ctx);
  pull(ctx.image);
  return ms_since(start);
}

}  // namespace

Ceiling measure_ceiling(const TaskSpec& task, int rounds) {
  init_engine();  // the watermark font, no operation cache, as `imagesprint convert` runs
  // init_engine() also blocks every loader but the engine's buffer loaders (a service reads
  // untrusted bytes); the benchmark reads the trusted corpus from files for its batches and
  // quality references: give the file loaders back.
  vips_operation_block_set("VipsForeignLoad", FALSE);
  const int concurrency = vips_concurrency_get();
  vips_concurrency_set(1);
  const ConversionOptions options = options_for(task);
  const EngineLimits limits;
  const auto steps = conversion_pipeline();
  const std::size_t decode = step_index("decode"), encode_at = step_index("encode");
  if (decode == NOT_FOUND || encode_at == NOT_FOUND)
    throw std::runtime_error("ceiling: no decode or encode step");

  std::map<std::string, std::vector<double>> per_round;  // step -> per-image ms of each round
  std::vector<std::string> order;                        // steps that cost anything
  for (int round = 0; round < std::max(1, rounds); ++round) {
    std::map<std::string, double> sums;
    for (const auto& source : task.sources) {
      const std::vector<std::uint8_t> bytes = read_file(source);
      // Which steps change the image for this task (the others return it untouched).
      std::vector<std::size_t> active;
      PipelineContext ctx(ConversionInput{bytes, {}}, options, limits);
      for (std::size_t i = 0; i < encode_at; ++i) {
        VipsImage* before = ctx.image.get_image();
        steps[i].run(ctx);
        if (i >= decode && ctx.image.get_image() != before) active.push_back(i);
      }
      double previous = 0;
      for (const std::size_t i : active) {
        const double ms = prefix_ms(bytes, options, limits, i);
        sums[std::string(steps[i].name)] += std::max(0.0, ms - previous);
        previous = ms;
      }
      // Encode-only: the finished pixels in memory first (not timed).
      const vips::VImage finished = ctx.image.copy_memory();
      const EncodeParams params{options.quality,
                                options.lossless,
                                options.progressive,
                                options.palette,
                                options.effort.value_or(-1),
                                ctx.keep};
      const auto start = Clock::now();
      const auto out = encode_image(finished, ctx.output, params);
      sums["encode"] += ms_since(start);
      if (out.empty()) throw std::runtime_error("ceiling: the encoder wrote nothing");
      if (round == 0) {
        for (const std::size_t i : active) {
          const std::string name(steps[i].name);
          if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
        }
      }
    }
    for (const auto& [name, sum] : sums)
      per_round[name].push_back(sum / static_cast<double>(task.sources.size()));
  }
  vips_concurrency_set(concurrency);

  Ceiling c;
  c.images = static_cast<int>(task.sources.size());
  std::sort(order.begin(), order.end(), [](const std::string& a, const std::string& b) {
    return step_index(a) < step_index(b);
  });
  order.push_back("encode");
  for (const auto& name : order) c.steps.push_back({name, median(per_round[name])});
  c.decode_ms = median(per_round["decode"]);
  c.encode_ms = median(per_round["encode"]);
  return c;
}

}  // namespace imagesprint::bench
