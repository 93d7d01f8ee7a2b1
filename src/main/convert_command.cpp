// `imagesprint convert`: flags -> the same JSON the API takes -> parse_options (one validation
// path), then the batch use case with a progress bar.
#include "main/convert_command.hpp"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "app/convert_files.hpp"
#include "domain/options_json.hpp"
#include "main/progress_bar.hpp"

namespace imagesprint {
namespace {

namespace fs = std::filesystem;

struct ConvertFlags {
  std::vector<std::string> inputs;
  std::string output_dir;
  std::optional<int> width, height, quality, effort, page;
  std::optional<std::string> fit, gravity, format, metadata, background;
  std::optional<std::int64_t> max_bytes;
  bool enlarge = false, lossless = false, progressive = false, palette = false;
  std::optional<std::string> wm_text, wm_image, wm_position, wm_color;
  std::optional<double> wm_opacity, wm_size, wm_margin, timeout;
  bool wm_tile = false;
  int threads = 0;
  std::uint64_t max_pixels = EngineLimits::DEFAULT_MAX_INPUT_PIXELS;
  std::uint64_t memory_mib = EngineConfig::DEFAULT_MEMORY_BUDGET_MIB;
  std::uint64_t max_bytes_in = EngineLimits::DEFAULT_MAX_INPUT_BYTES;
};

std::string human_bytes(std::uint64_t n) {
  char buf[32];
  if (n >= 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f MiB", n / 1048576.0);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f KiB", n / 1024.0);
  }
  return buf;
}

nlohmann::json options_json(const ConvertFlags& f) {
  nlohmann::json j = nlohmann::json::object();
  auto put = [&](const char* key, const auto& value) {
    if (value) j[key] = *value;
  };
  put("width", f.width);
  put("height", f.height);
  put("fit", f.fit);
  put("gravity", f.gravity);
  put("format", f.format);
  put("quality", f.quality);
  put("effort", f.effort);
  put("max_bytes", f.max_bytes);
  put("page", f.page);
  put("metadata", f.metadata);
  put("background", f.background);
  put("timeout_seconds", f.timeout);
  if (f.enlarge) j["enlarge"] = true;
  if (f.lossless) j["lossless"] = true;
  if (f.progressive) j["progressive"] = true;
  if (f.palette) j["palette"] = true;
  if (f.wm_text || f.wm_image) {
    nlohmann::json w = {{"type", f.wm_text ? "text" : "image"}};
    if (f.wm_text) w["text"] = *f.wm_text;
    if (f.wm_position) w["position"] = *f.wm_position;
    if (f.wm_color) w["color"] = *f.wm_color;
    if (f.wm_opacity) w["opacity"] = *f.wm_opacity;
    if (f.wm_size) w["size"] = *f.wm_size;
    if (f.wm_margin) w["margin"] = *f.wm_margin;
    if (f.wm_tile) w["tile"] = true;
    j["watermark"] = w;
  }
  return j;
}

/// Expands folders into their files (sorted), keeps files as given. A folder's hidden files
/// (macOS's .DS_Store and ._photo.jpg, an editor's .swp) are not images anyone asked for: they
/// are left out, as a shell's * leaves them out. A hidden file named on the command line counts.
std::vector<fs::path> expand_inputs(const std::vector<std::string>& inputs) {
  std::vector<fs::path> out;
  for (const auto& in : inputs) {
    if (fs::is_directory(in)) {
      std::vector<fs::path> files;
      for (const auto& entry : fs::directory_iterator(in)) {
        const bool hidden = entry.path().filename().string().starts_with('.');
        if (entry.is_regular_file() && !hidden) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
      out.insert(out.end(), files.begin(), files.end());
    } else {
      out.emplace_back(in);
    }
  }
  return out;
}

int run(const ConvertFlags& flags) {
  auto options = parse_options(options_json(flags));
  if (!options) {
    std::fprintf(stderr, "imagesprint convert: %s\n", options.error().message.c_str());
    return 2;
  }
  BatchRequest request;
  request.inputs = expand_inputs(flags.inputs);
  request.output_dir = flags.output_dir;
  request.options = options.value();
  request.threads = flags.threads;
  request.limits.max_input_pixels = flags.max_pixels;
  request.limits.max_input_bytes = flags.max_bytes_in;
  if (flags.wm_image) {
    std::ifstream in(*flags.wm_image, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "imagesprint convert: --watermark-image: cannot read %s\n",
                   flags.wm_image->c_str());
      return 2;
    }
    request.watermark_image.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::error_code ec;  // said here, once, rather than as the failure of every file
  fs::create_directories(request.output_dir, ec);
  if (ec) {
    std::fprintf(stderr, "imagesprint convert: -o %s: cannot make the folder: %s\n",
                 flags.output_dir.c_str(), ec.message().c_str());
    return 2;
  }
  EngineConfig engine;
  engine.memory_budget = flags.memory_mib * 1024 * 1024;
  init_engine(engine);
  ProgressBar bar(static_cast<int>(request.inputs.size()), stderr);
  std::vector<FileOutcome> failures;
  const BatchSummary s = convert_files(request, [&](const FileOutcome& o) {
    bar.advance(o.input.filename().string(), o.error ? o.error->message : "");
    if (o.error) failures.push_back(o);
  });
  bar.finish();
  for (const auto& f : failures) {
    std::fprintf(stderr, "failed: %s: %s [%s]\n", f.input.string().c_str(),
                 f.error->message.c_str(), std::string(to_string(f.error->code)).c_str());
  }
  const double ratio =
      s.bytes_in ? 100.0 * static_cast<double>(s.bytes_out) / static_cast<double>(s.bytes_in) : 0;
  std::fprintf(stderr,
               "%d ok, %d failed; %s in, %s out (%.0f%%); %.2f s, %.1f images/s; largest "
               "estimated peak %s\n",
               s.ok, s.failed, human_bytes(s.bytes_in).c_str(), human_bytes(s.bytes_out).c_str(),
               ratio, s.seconds, s.seconds > 0 ? (s.ok + s.failed) / s.seconds : 0.0,
               human_bytes(s.largest_memory_estimate).c_str());
  return s.failed > 0 ? 1 : 0;
}

}  // namespace

void add_convert_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ConvertFlags>();
  CLI::App* cmd =
      app.add_subcommand("convert", "Convert local image files (parallel, with a progress bar)");
  cmd->add_option("inputs", flags->inputs, "Input files or folders")->required();
  cmd->add_option("-o,--output", flags->output_dir, "Output folder (created if missing)")
      ->required();
  cmd->add_option("--width", flags->width, "Output width in pixels");
  cmd->add_option("--height", flags->height, "Output height in pixels");
  cmd->add_option("--fit", flags->fit, "contain (default), inside, fill, cover, outside");
  cmd->add_option("--gravity", flags->gravity,
                  "cover crop: centre, north ... northwest, attention, entropy");
  cmd->add_flag("--enlarge", flags->enlarge, "Allow upscaling");
  cmd->add_option("--format", flags->format,
                  "original (default), jpeg, png, webp, avif, gif, tiff, bmp");
  cmd->add_option("--quality", flags->quality, "1-100 (default 80)");
  cmd->add_flag("--lossless", flags->lossless, "Lossless WebP/AVIF");
  cmd->add_flag("--progressive", flags->progressive, "Progressive JPEG / interlaced PNG and GIF");
  cmd->add_flag("--palette", flags->palette, "PNG: quantise to a palette");
  cmd->add_option("--effort", flags->effort, "Encoder CPU effort (WebP 0-6, AVIF 0-9)");
  cmd->add_option("--max-bytes", flags->max_bytes, "Target output size in bytes");
  cmd->add_option("--page", flags->page,
                  "Page of a multi-page TIFF or image of a HEIF/AVIF collection (0-based)");
  cmd->add_option("--metadata", flags->metadata, "strip (default), keep, copyright");
  cmd->add_option("--background", flags->background, "Flattening colour #rrggbb (default #ffffff)");
  cmd->add_option("--watermark-text", flags->wm_text, "Text watermark (UTF-8)");
  cmd->add_option("--watermark-image", flags->wm_image, "Logo watermark file (PNG)");
  cmd->add_option("--watermark-position", flags->wm_position,
                  "TOP_LEFT ... BOTTOM_RIGHT (default BOTTOM_RIGHT)");
  cmd->add_option("--watermark-opacity", flags->wm_opacity, "0-1 (default 0.5)");
  cmd->add_option("--watermark-size", flags->wm_size,
                  "Width as a fraction of the image width (default 0.25)");
  cmd->add_option("--watermark-color", flags->wm_color,
                  "Text colour #rrggbb[aa] (default #ffffff)");
  cmd->add_option("--watermark-margin", flags->wm_margin,
                  "Margin, fraction of the shorter side (default 0.02)");
  cmd->add_flag("--watermark-tile", flags->wm_tile, "Tile the logo over the image");
  cmd->add_option("--timeout", flags->timeout, "Per-image time budget in seconds (default 30)");
  cmd->add_option("-j,--jobs", flags->threads, "Images converted at once (default: cores)");
  cmd->add_option("--max-pixels", flags->max_pixels, "Input pixel limit (default 100000000)");
  cmd->add_option("--memory-budget", flags->memory_mib,
                  "MiB all conversions may take at once, by their estimated peaks; a conversion "
                  "waits for its share (default 1024, 0 = none)");
  cmd->add_option("--max-input-bytes", flags->max_bytes_in,
                  "Input size limit in bytes (default 20 MiB)");
  cmd->callback([flags, &exit_code] {
    // What escapes (an input folder that cannot be listed, say) is a message and exit code 2,
    // not an abort.
    try {
      exit_code = run(*flags);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "imagesprint convert: %s\n", e.what());
      exit_code = 2;
    }
  });
}

}  // namespace imagesprint
