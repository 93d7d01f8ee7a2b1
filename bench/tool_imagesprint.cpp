// Our engine, driven exactly as a user would: `imagesprint convert <folder> -o <out> ... -j N`.
// One process converts the whole batch, N images at a time (libvips concurrency 1 inside each
// image, the engine's default), with shrink-on-load, lanczos3 and jemalloc as shipped.
#include <utility>

#include "tool.hpp"

namespace imagesprint::bench {
namespace {

namespace fs = std::filesystem;

class ImagesprintTool final : public Tool {
 public:
  explicit ImagesprintTool(fs::path binary) : binary_(std::move(binary)) {}

  std::string name() const override { return "imagesprint"; }
  std::string label() const override { return "imagesprint (ours)"; }

  std::optional<std::string> missing() const override {
    if (!fs::is_regular_file(binary_))
      return "no binary at " + binary_.string() + " (build it, or pass --imagesprint)";
    return std::nullopt;
  }

  Plan plan(const RunRequest& r) const override {
    std::vector<std::string> argv =
        arguments(r.task, r.batch.input_dir.string(), r.output_dir.string());
    argv.insert(argv.end(), {"-j", std::to_string(r.concurrency)});
    // The progress bar goes to stderr: kept for the tail shown when a run fails.
    return Plan{{Command{std::move(argv), {}, r.scratch_dir / "imagesprint.stderr"}}, 1};
  }

  std::string describe(const TaskSpec& task) const override {
    std::vector<std::string> argv = arguments(task, "IN_DIR", "OUT_DIR");
    argv.front() = "imagesprint";
    argv.insert(argv.end(), {"-j", "N"});
    return shell_line(argv);
  }

 private:
  std::vector<std::string> arguments(const TaskSpec& task, const std::string& in,
                                     const std::string& out) const {
    std::vector<std::string> argv{binary_.string(),          "convert", in, "-o", out, "--width",
                                  std::to_string(task.width)};
    if (task.height > 0) argv.insert(argv.end(), {"--height", std::to_string(task.height)});
    argv.insert(argv.end(), {"--format", task.format, "--quality", std::to_string(task.quality)});
    if (task.watermark) {
      argv.insert(argv.end(),
                  {"--watermark-text", task.watermark->text, "--watermark-position", "BOTTOM_RIGHT",
                   "--watermark-opacity", format_number(task.watermark->opacity)});
    }
    return argv;
  }

  fs::path binary_;
};

}  // namespace

std::unique_ptr<Tool> make_imagesprint_tool(fs::path binary) {
  return std::make_unique<ImagesprintTool>(std::move(binary));
}

}  // namespace imagesprint::bench
