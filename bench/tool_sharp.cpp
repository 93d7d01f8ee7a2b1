// sharp 0.35 (npm, pinned in package.json), driven by bench/sharp_runner.mjs, in the two ways
// sharp's own benchmarks drive it (lovell/sharp test/bench/):
//   perf.js     sharp.cache(false), sharp.concurrency(<physical cores>), one image at a time
//               (Benchmark.js deferred runs): the libvips threads of one image use the cores.
//   parallel.js sharp.concurrency(1), N images in flight in one Node process (and
//               UV_THREADPOOL_SIZE=64, so libuv never caps them); cache(false) here too.
// Both are run and reported; the goals are judged against the faster (report.cpp), so the
// comparison takes sharp at its best on this machine.
// Per image it does what ours does:
//   T1: sharp(in, {autoOrient: true}).resize(720, 588, {fit: 'inside', withoutEnlargement: true})
//         .jpeg({quality: 80}).toFile(out)          (sharp strips metadata by default, as we do)
//   T2: sharp(in, {autoOrient: true}).resize(1280, null, {fit: 'inside', withoutEnlargement: true})
//         .composite([{input: <SVG text, white, fill-opacity 0.5>, gravity: 'southeast'}])
//         .webp({quality: 80}).toFile(out)          (librsvg draws the text: fine for a peer)
// `fit: 'inside'` rather than sharp's default `cover`: the box has the image's aspect, so both
// give 720x588 here, but `inside` is the same geometry as ours and ImageMagick's.
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <utility>

#include "tool.hpp"

namespace imagesprint::bench {
namespace {

namespace fs = std::filesystem;

class SharpTool final : public Tool {
 public:
  SharpTool(std::optional<fs::path> node, fs::path runner, std::string version, SharpSetup setup,
            int physical_cores)
      : node_(std::move(node)),
        runner_(std::move(runner)),
        version_(std::move(version)),
        setup_(setup),
        physical_cores_(std::max(1, physical_cores)) {}

  std::string name() const override {
    return setup_ == SharpSetup::perf_js ? "sharp" : "sharp-parallel";
  }
  std::string label() const override {
    const std::string base = version_.empty() ? std::string("sharp") : "sharp " + version_;
    return base + (setup_ == SharpSetup::perf_js ? " (perf.js)" : " (parallel.js)");
  }

  std::optional<std::string> missing() const override {
    if (!node_) return "no node in PATH";
    if (!fs::is_regular_file(*node_)) return "not found: " + node_->string();
    if (!fs::is_regular_file(runner_)) return "runner not found: " + runner_.string();
    if (version_.empty()) return "sharp does not load (npm ci?)";
    return std::nullopt;
  }

  Plan plan(const RunRequest& r) const override {
    const fs::path job_file = r.scratch_dir / (name() + "-job.json");
    std::ofstream(job_file) << job(r).dump();
    // parallel.js sets UV_THREADPOOL_SIZE before anything runs; Node reads it at start-up.
    Command command{{"/usr/bin/env", "UV_THREADPOOL_SIZE=64", node_->string(), runner_.string(),
                     job_file.string()},
                    r.scratch_dir / (name() + ".stdout"),
                    r.scratch_dir / (name() + ".stderr")};
    return Plan{{std::move(command)}, 1};
  }

  std::string describe(const TaskSpec& task) const override {
    std::string line =
        "node bench/sharp_runner.mjs JOB.json: sharp(in, {autoOrient: true}).resize(" +
        std::to_string(task.width) + ", " +
        (task.height > 0 ? std::to_string(task.height) : "null") +
        ", {fit: 'inside', withoutEnlargement: true})";
    if (task.watermark) line += ".composite([{input: SVG text, gravity: 'southeast'}])";
    line += "." + task.format + "({quality: " + std::to_string(task.quality) + "})";
    if (setup_ == SharpSetup::perf_js) {
      return line + ", cache(false), concurrency(" + std::to_string(physical_cores_) +
             ") (physical cores), one image at a time";
    }
    return line + ", cache(false), concurrency(1), N images in flight, UV_THREADPOOL_SIZE=64";
  }

 private:
  nlohmann::json job(const RunRequest& r) const {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& item : r.batch.items) {
      nlohmann::json j = {{"input", item.input.string()},
                          {"output", (r.output_dir / item.output_name).string()}};
      if (r.task.watermark) {
        j["fontPx"] = item.watermark_font_px;
        j["margin"] = item.watermark_margin;
        j["textWidth"] = r.task.watermark->width_fraction * item.output.width;
      }
      items.push_back(std::move(j));
    }
    const bool perf_js = setup_ == SharpSetup::perf_js;
    nlohmann::json job = {
        {"concurrency", perf_js ? 1 : r.concurrency},
        {"threads", perf_js ? physical_cores_ : 1},
        {"width", r.task.width},
        {"height", r.task.height > 0 ? nlohmann::json(r.task.height) : nlohmann::json(nullptr)},
        {"format", r.task.format},
        {"quality", r.task.quality},
        {"items", std::move(items)}};
    if (r.task.watermark) {
      job["watermark"] = {{"text", r.task.watermark->text},
                          {"fontFamily", find_watermark_font().family},
                          {"opacity", r.task.watermark->opacity}};
    }
    return job;
  }

  std::optional<fs::path> node_;
  fs::path runner_;
  std::string version_;
  SharpSetup setup_;
  int physical_cores_;
};

}  // namespace

std::unique_ptr<Tool> make_sharp_tool(std::optional<fs::path> node, fs::path runner,
                                      std::string version, SharpSetup setup, int physical_cores) {
  return std::make_unique<SharpTool>(std::move(node), std::move(runner), std::move(version), setup,
                                     physical_cores);
}

}  // namespace imagesprint::bench
