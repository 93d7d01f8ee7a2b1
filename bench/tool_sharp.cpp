// sharp 0.35 (npm, pinned in package.json), driven by bench/sharp_runner.mjs: one Node process
// per batch with sharp.concurrency(1) and sharp.cache(false), N images in flight at once — the
// fair setup on few cores, the same "parallelise across images" our engine uses.
// Per image it does what ours does:
//   T1: sharp(in, {autoOrient: true}).resize(720, 588, {fit: 'inside', withoutEnlargement: true})
//         .jpeg({quality: 80}).toFile(out)          (sharp strips metadata by default, as we do)
//   T2: sharp(in, {autoOrient: true}).resize(1280, null, {fit: 'inside', withoutEnlargement: true})
//         .composite([{input: <SVG text, white, fill-opacity 0.5>, gravity: 'southeast'}])
//         .webp({quality: 80}).toFile(out)          (librsvg draws the text: fine for a peer)
// `fit: 'inside'` rather than sharp's default `cover`: the box has the image's aspect, so both
// give 720x588 here, but `inside` is the same geometry as ours and ImageMagick's.
#include <fstream>
#include <nlohmann/json.hpp>
#include <utility>

#include "tool.hpp"

namespace imagesprint::bench {
namespace {

namespace fs = std::filesystem;

class SharpTool final : public Tool {
 public:
  SharpTool(std::optional<fs::path> node, fs::path runner, std::string version)
      : node_(std::move(node)), runner_(std::move(runner)), version_(std::move(version)) {}

  std::string name() const override { return "sharp"; }
  std::string label() const override {
    return version_.empty() ? std::string("sharp") : "sharp " + version_;
  }

  std::optional<std::string> missing() const override {
    if (!node_) return "no node in PATH";
    if (!fs::is_regular_file(*node_)) return "not found: " + node_->string();
    if (!fs::is_regular_file(runner_)) return "runner not found: " + runner_.string();
    if (version_.empty()) return "sharp does not load (npm ci?)";
    return std::nullopt;
  }

  Plan plan(const RunRequest& r) const override {
    const fs::path job_file = r.scratch_dir / "sharp-job.json";
    std::ofstream(job_file) << job(r).dump();
    return Plan{{Command{{node_->string(), runner_.string(), job_file.string()},
                         r.scratch_dir / "sharp.stdout",
                         r.scratch_dir / "sharp.stderr"}},
                1};
  }

  std::string describe(const TaskSpec& task) const override {
    std::string line =
        "node bench/sharp_runner.mjs JOB.json: sharp(in, {autoOrient: true}).resize(" +
        std::to_string(task.width) + ", " +
        (task.height > 0 ? std::to_string(task.height) : "null") +
        ", {fit: 'inside', withoutEnlargement: true})";
    if (task.watermark) line += ".composite([{input: SVG text, gravity: 'southeast'}])";
    line += "." + task.format + "({quality: " + std::to_string(task.quality) + "})";
    return line + ", concurrency(1), cache(false), N images in flight";
  }

 private:
  static nlohmann::json job(const RunRequest& r) {
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
    nlohmann::json job = {
        {"concurrency", r.concurrency},
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
};

}  // namespace

std::unique_ptr<Tool> make_sharp_tool(std::optional<fs::path> node, fs::path runner,
                                      std::string version) {
  return std::make_unique<SharpTool>(std::move(node), std::move(runner), std::move(version));
}

}  // namespace imagesprint::bench
