#pragma once
// The benchmark's tasks (what to do to which images) and the batches of input files built for
// them. A task says nothing about any tool; each tool translates it (see tool_*.cpp).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "geometry.hpp"

namespace imagesprint::bench {

struct WatermarkSpec {
  std::string text = "ImageSprint";
  double opacity = 0.5;           // 0-1
  double width_fraction = 0.25;   // text width / image width: our engine's --watermark-size default
  double margin_fraction = 0.02;  // of the shorter side: our engine's --watermark-margin default
};

struct TaskSpec {
  std::string id;                              // "T1"
  std::string title;                           // one line for the report
  std::vector<std::filesystem::path> sources;  // distinct input files
  int width = 0;                               // fit inside width x height, never enlarge
  int height = 0;                              // 0: follows the aspect ratio
  std::string format;                          // "jpeg" or "webp"
  int quality = 80;                            // encoder quality 1-100
  std::optional<WatermarkSpec> watermark;
  double compared_fraction = 1.0;  // top part of each output that the quality score compares
  int copies = 1;                  // times each source appears in a timed batch
  int slow_copies = 1;             // the same for a slow peer (ImageMagick), to keep the run short

  std::string extension() const { return format == "jpeg" ? "jpg" : format; }
};

/// The tasks named in `ids` ("T1", "T2"), reading the corpus; throws on an unknown id or a
/// missing file. `quick` makes the batches small for a smoke run.
std::vector<TaskSpec> make_tasks(const std::filesystem::path& corpus,
                                 const std::vector<std::string>& ids, bool quick);

/// One image of a batch.
struct BatchItem {
  std::filesystem::path source;  // the corpus file
  std::filesystem::path input;   // a uniquely named symlink to it, so each copy has its own output
  std::string output_name;       // file name of its output (our engine derives the same one)
  Size output;                   // expected output size
  int watermark_margin = 0;      // pixels from the bottom-right corner
  double watermark_font_px = 0;  // font size giving the wanted text width (for the peers)
};

struct Batch {
  std::filesystem::path input_dir;  // holds exactly the items' inputs
  std::vector<BatchItem> items;
};

/// Creates `dir` with `copies` symlinks per source (in source order, repeated), named
/// "<task>-<nnn>-<stem>.<ext>" so that sorting the folder keeps the batch order.
Batch make_batch(const TaskSpec& task, int copies, const std::filesystem::path& dir);

/// An empty folder as a batch: the start-up cost of a tool with nothing to do.
Batch make_empty_batch(const std::filesystem::path& dir);

}  // namespace imagesprint::bench
