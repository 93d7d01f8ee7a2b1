// ImageMagick 6 `convert`, one process per image, N processes at a time, each with
// `-limit thread 1` (one OpenMP thread): parallelism comes from images, as for the others, and N
// processes x N threads would only oversubscribe the cores. Per image:
//   T1: convert -limit thread 1 IN -auto-orient -resize '720x588>' -strip
//         -define jpeg:optimize-coding=true -quality 80 OUT.jpg
//   T2: convert -limit thread 1 IN -auto-orient -resize '1280x>' -strip
//         -font NanumGothic.ttf -pointsize P -fill 'rgba(255,255,255,0.5)' -gravity SouthEast
//         -annotate +M+M ImageSprint -define webp:method=4 -quality 80 OUT.webp
// '>' = only shrink (our engine never enlarges); -resize's default filter when shrinking is
// Lanczos, like ours; -strip drops metadata as ours does; optimize-coding and webp method 4 are
// what libvips/sharp use by default. P and M come from the driver: the font size that makes the
// text a quarter of the width, and 2% of the shorter side, as our engine computes them.
// Not used on purpose: `-define jpeg:size=` (IM's shrink-on-load hint) — not how `convert` is
// usually run; the report's fairness notes say so.
#include <utility>

#include "tool.hpp"

namespace imagesprint::bench {
namespace {

namespace fs = std::filesystem;

class ImagemagickTool final : public Tool {
 public:
  ImagemagickTool(std::optional<fs::path> convert, std::string version)
      : convert_(std::move(convert)), version_(std::move(version)) {}

  std::string name() const override { return "imagemagick"; }
  std::string label() const override {
    return version_.empty() ? std::string("ImageMagick") : "ImageMagick " + version_;
  }
  bool process_per_image() const override { return true; }
  bool slow() const override { return true; }

  std::optional<std::string> missing() const override {
    if (!convert_) return "no convert in PATH";
    if (!fs::is_regular_file(*convert_)) return "not found: " + convert_->string();
    return std::nullopt;
  }

  Plan plan(const RunRequest& r) const override {
    Plan plan;
    plan.parallelism = r.concurrency;
    int n = 0;
    for (const auto& item : r.batch.items) {
      const fs::path out = r.output_dir / item.output_name;
      plan.commands.push_back(
          Command{arguments(r.task, item.input.string(), out.string(), item.watermark_font_px,
                            item.watermark_margin),
                  {},
                  r.scratch_dir / ("convert-" + std::to_string(n++) + ".stderr")});
    }
    return plan;
  }

  std::string describe(const TaskSpec& task) const override {
    std::vector<std::string> argv = arguments(task, "IN", "OUT." + task.extension(), -1, -1);
    argv.front() = "convert";
    return shell_line(argv) + ", N processes at a time";
  }

 private:
  std::vector<std::string> arguments(const TaskSpec& task, const std::string& in,
                                     const std::string& out, double font_px, int margin) const {
    std::string geometry = std::to_string(task.width) + "x" +
                           (task.height > 0 ? std::to_string(task.height) : "") + ">";
    // clang-format off
    std::vector<std::string> argv{convert_ ? convert_->string() : "convert",
                                  "-limit", "thread", "1", in, "-auto-orient",
                                  "-resize", geometry, "-strip"};
    // clang-format on
    if (task.watermark) {
      const auto& w = *task.watermark;
      const std::string p = font_px < 0 ? "P" : format_number(font_px);
      const std::string m = margin < 0 ? "M" : std::to_string(margin);
      argv.insert(argv.end(), {"-font", find_watermark_font().file.string(), "-pointsize", p,
                               "-fill", "rgba(255,255,255," + format_number(w.opacity) + ")",
                               "-gravity", "SouthEast", "-annotate", "+" + m + "+" + m, w.text});
    }
    if (task.format == "jpeg") argv.insert(argv.end(), {"-define", "jpeg:optimize-coding=true"});
    if (task.format == "webp") argv.insert(argv.end(), {"-define", "webp:method=4"});
    argv.insert(argv.end(), {"-quality", std::to_string(task.quality), out});
    return argv;
  }

  std::optional<fs::path> convert_;
  std::string version_;
};

}  // namespace

std::unique_ptr<Tool> make_imagemagick_tool(std::optional<fs::path> convert, std::string version) {
  return std::make_unique<ImagemagickTool>(std::move(convert), std::move(version));
}

}  // namespace imagesprint::bench
