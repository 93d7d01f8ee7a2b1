// imagesprint-bench: runs the same tasks through our engine, sharp and ImageMagick, on all cores
// and on one, and prints a markdown table of speed, memory, output size and output quality,
// with the ratios of ours to each peer (README.md in this folder; `make bench`).
#include <stdlib.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <vips/vips8>

#include "executables.hpp"
#include "machine_facts.hpp"
#include "measurement.hpp"
#include "report.hpp"

namespace imagesprint::bench {
namespace {

namespace fs = std::filesystem;

/// Command-line flags; defaults come from the build (paths of this checkout).
struct Flags {
  std::string corpus = IMAGESPRINT_BENCH_CORPUS;       // the shared test corpus
  int repeats = 3;                                     // timed runs per mode; median counts
  std::string tasks = "T1,T2";                         // comma-separated task ids
  bool quick = false;                                  // small batches, one repeat
  std::string imagesprint = IMAGESPRINT_BENCH_BINARY;  // our `imagesprint` binary
  std::string node;                                    // default: from PATH
  std::string convert;                                 // default: from PATH (native first)
  int jobs = 0;                                        // "all cores" concurrency; 0: CPUs
  std::string results = IMAGESPRINT_BENCH_SOURCE_DIR "/bench/results/latest.md";
  std::string work_dir;    // default: a fresh folder in /tmp
  bool keep_work = false;  // keep batches and outputs
  int timeout = 600;       // seconds per run
  int retry_budget = 150;  // seconds for waiting out other load and repeating disturbed runs
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, separator)) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

/// Removes the scratch folder on every way out unless asked to keep it.
class WorkDir {
 public:
  WorkDir(const std::string& wanted, bool keep) : keep_(keep) {
    if (!wanted.empty()) {
      path_ = fs::absolute(wanted);
      fs::create_directories(path_);
    } else {
      std::string pattern = (fs::temp_directory_path() / "imagesprint-bench-XXXXXX").string();
      if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a folder in /tmp");
      path_ = pattern;
    }
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  ~WorkDir() {
    std::error_code ec;
    if (!keep_) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
  bool keep_;
};

std::optional<fs::path> tool_path(const std::string& flag, const std::string& name,
                                  bool prefer_native) {
  if (!flag.empty()) return fs::path(flag);
  return find_in_path(name, prefer_native);
}

int run(const Flags& flags) {
  const fs::path corpus = fs::absolute(flags.corpus);
  const std::vector<TaskSpec> tasks = make_tasks(corpus, split(flags.tasks, ','), flags.quick);
  const WorkDir work(flags.work_dir, flags.keep_work);

  const fs::path runner = fs::path(IMAGESPRINT_BENCH_SOURCE_DIR) / "bench" / "sharp_runner.mjs";
  const std::optional<fs::path> node = tool_path(flags.node, "node", false);
  const std::optional<fs::path> convert = tool_path(flags.convert, "convert", true);
  const fs::path imagesprint = fs::absolute(flags.imagesprint);
  const MachineFacts facts = collect_machine_facts(imagesprint, IMAGESPRINT_BENCH_SOURCE_DIR, node,
                                                   runner, convert, work.path());

  Settings settings;
  settings.cores = flags.jobs > 0 ? flags.jobs : facts.cores;
  settings.repeats = flags.quick ? 1 : std::max(1, flags.repeats);
  settings.startup_samples = flags.quick ? 3 : 5;
  settings.timeout = std::chrono::seconds(flags.timeout);
  settings.work_dir = work.path();

  // Ours first: the report's ratios compare the first tool with each of the others.
  std::vector<std::unique_ptr<Tool>> tools;
  tools.push_back(make_imagesprint_tool(imagesprint));
  tools.push_back(
      make_sharp_tool(node, runner, facts.sharp, SharpSetup::perf_js, facts.physical_cores));
  tools.push_back(
      make_sharp_tool(node, runner, facts.sharp, SharpSetup::parallel_js, facts.physical_cores));
  tools.push_back(make_imagemagick_tool(convert, facts.imagemagick_version));
  if (const auto why = tools.front()->missing()) {
    std::fprintf(stderr, "imagesprint-bench: %s\n", why->c_str());
    return 2;
  }

  std::fprintf(stderr, "work folder: %s\n", work.path().c_str());
  QualityJudge judge;
  std::vector<TaskResult> results;
  RetryBudget budget{static_cast<double>(flags.retry_budget)};
  for (const auto& task : tasks) {
    results.push_back(run_task(task, tools, settings, budget, judge));
    std::fprintf(stderr, "%s: ceiling (decode-only + encode-only, one core)\n", task.id.c_str());
    results.back().ceiling = measure_ceiling(task, settings.repeats);
  }

  const std::string report = render_report(facts, settings, flags.quick, results);
  std::fputs(report.c_str(), stdout);
  std::fflush(stdout);
  if (!flags.results.empty()) {
    const fs::path out = flags.results;
    fs::create_directories(out.parent_path());
    std::ofstream(out) << report;
    std::fprintf(stderr, "written to %s\n", out.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace imagesprint::bench

int main(int argc, char** argv) {
  using imagesprint::bench::Flags;
  Flags flags;
  CLI::App app{
      "Benchmarks the imagesprint engine against sharp and ImageMagick (markdown on stdout)"};
  app.add_option("--corpus", flags.corpus, "Test corpus folder (holds photos/)")
      ->capture_default_str();
  app.add_option("--repeats", flags.repeats, "Timed runs per tool and mode; the median counts")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--tasks", flags.tasks, "Tasks to run: T1, T2 or both, comma-separated")
      ->capture_default_str();
  app.add_flag("--quick", flags.quick, "Small batches and one repeat: a smoke run");
  app.add_option("--imagesprint", flags.imagesprint, "Path of the imagesprint binary")
      ->capture_default_str();
  app.add_option("--node", flags.node, "Path of node (default: from PATH)");
  app.add_option("--convert", flags.convert,
                 "Path of ImageMagick's convert (default: from PATH, native first)");
  app.add_option("-j,--jobs", flags.jobs,
                 "Images at once in the all-cores runs (default: usable CPUs)");
  app.add_option("--results", flags.results, "Also write the report here (empty: don't)")
      ->capture_default_str();
  app.add_option("--work-dir", flags.work_dir, "Scratch folder (default: a new one in /tmp)");
  app.add_flag("--keep-work", flags.keep_work, "Keep the scratch folder (batches, outputs, logs)");
  app.add_option("--retry-budget", flags.retry_budget,
                 "Seconds the run may spend waiting out other load and repeating disturbed runs "
                 "(0: never repeat)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--timeout", flags.timeout, "Seconds one run may take before it is killed")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  if (VIPS_INIT(argv[0])) {
    std::fprintf(stderr, "imagesprint-bench: libvips does not start: %s\n", vips_error_buffer());
    return 1;
  }
  // Reading the corpus's headers warns about harmless EXIF oddities ("unknown EXIF resolution
  // unit"); they would only clutter the progress lines.
  g_log_set_handler(
      "VIPS", G_LOG_LEVEL_WARNING, [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {},
      nullptr);
  try {
    const int code = imagesprint::bench::run(flags);
    vips_shutdown();
    return code;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "imagesprint-bench: %s\n", e.what());
    return 1;
  }
}
