#include "tasks.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace imagesprint::bench {

namespace fs = std::filesystem;

namespace {

// Batch sizes. The fast tools get enough images that one run takes a few seconds on two cores:
// with 40 copies (under a second) the first images' warm-up, which the empty-job start-up does
// not capture (Node's JIT, libvips' threads, first page faults), weighed on every image: sharp
// spent 30.5 ms of CPU per image over 40 copies against 25.1 ms over 200 (bench/README.md). ImageMagick, about ten times slower (DESIGN.md), gets fewer so that the
// default run stays within a few minutes. Rates are per image, so a smaller batch of the same
// images needs no scaling.
constexpr int T1_COPIES = 160, T1_SLOW_COPIES = 12;
constexpr int T2_COPIES = 3, T2_SLOW_COPIES = 1;
constexpr int QUICK_T1_COPIES = 8, QUICK_T1_SLOW_COPIES = 4;

std::vector<fs::path> files_in(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw std::runtime_error("corpus folder not found: " + dir.string());
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TaskSpec t1(const fs::path& corpus, bool quick) {
  TaskSpec t;
  t.id = "T1";
  t.title = "sharp's own benchmark: flickr-2569067123-2725x2225.jpg to 720x588 JPEG q80";
  t.sources = {corpus / "photos" / "flickr-2569067123-2725x2225.jpg"};
  if (!fs::is_regular_file(t.sources.front()))
    throw std::runtime_error("missing " + t.sources.front().string());
  t.width = 720;
  t.height = 588;
  t.format = "jpeg";
  t.quality = 80;
  t.copies = quick ? QUICK_T1_COPIES : T1_COPIES;
  t.slow_copies = quick ? QUICK_T1_SLOW_COPIES : T1_SLOW_COPIES;
  return t;
}

TaskSpec t2(const fs::path& corpus, bool quick) {
  TaskSpec t;
  t.id = "T2";
  t.title =
      "seed-style job: all of photos/ to 1280 px wide WebP q80, text watermark BOTTOM_RIGHT at 0.5";
  t.sources = files_in(corpus / "photos");
  if (t.sources.empty()) throw std::runtime_error("no files in " + (corpus / "photos").string());
  t.width = 1280;
  t.format = "webp";
  t.quality = 80;
  t.watermark = WatermarkSpec{};
  // Watermark renderings differ between tools (fonts, hinting, blending): the score compares
  // the top 70% of each output, well away from the bottom-right text.
  t.compared_fraction = 0.7;
  t.copies = quick ? 1 : T2_COPIES;
  t.slow_copies = T2_SLOW_COPIES;
  return t;
}

}  // namespace

std::vector<TaskSpec> make_tasks(const fs::path& corpus, const std::vector<std::string>& ids,
                                 bool quick) {
  std::vector<TaskSpec> tasks;
  for (const auto& id : ids) {
    if (id == "T1") {
      tasks.push_back(t1(corpus, quick));
    } else if (id == "T2") {
      tasks.push_back(t2(corpus, quick));
    } else {
      throw std::runtime_error("--tasks: unknown task '" + id + "' (expected T1 or T2)");
    }
  }
  return tasks;
}

Batch make_batch(const TaskSpec& task, int copies, const fs::path& dir) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  Batch batch{dir, {}};
  // Measured once per source: the expected output size and, for the peers, the watermark layout.
  const WatermarkFont font = find_watermark_font();
  const double font_per_px = task.watermark ? font_px_per_text_px(task.watermark->text, font) : 0.0;
  std::vector<BatchItem> per_source;
  for (const auto& source : task.sources) {
    BatchItem item;
    item.source = source;
    item.output = fit_inside(read_upright_size(source), task.width, task.height);
    if (task.watermark) {
      item.watermark_margin = margin_px(task.watermark->margin_fraction, item.output);
      item.watermark_font_px = font_per_px * task.watermark->width_fraction * item.output.width;
    }
    per_source.push_back(item);
  }
  int n = 0;
  for (int copy = 0; copy < copies; ++copy) {
    for (BatchItem item : per_source) {
      char prefix[32];
      std::snprintf(prefix, sizeof prefix, "%s-%03d-", task.id.c_str(), n++);
      const std::string stem = prefix + item.source.stem().string();
      item.input = dir / (stem + item.source.extension().string());
      item.output_name = stem + "." + task.extension();
      fs::create_symlink(fs::absolute(item.source), item.input);
      batch.items.push_back(item);
    }
  }
  return batch;
}

Batch make_empty_batch(const fs::path& dir) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  return Batch{dir, {}};
}

}  // namespace imagesprint::bench
