#pragma once
// The measuring protocol for one task: per tool a warm-up, the start-up cost of an empty job,
// then `repeats` timed runs with all cores and on one core (tools interleaved in each round, so
// a drift of the machine hits all of them alike), medians, and the outputs scored for quality.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ceiling.hpp"
#include "quality.hpp"
#include "tasks.hpp"
#include "tool.hpp"

namespace imagesprint::bench {

struct Settings {
  int cores = 1;                      // concurrency of the "all cores" runs
  int repeats = 3;                    // timed runs per mode; the median counts
  int startup_samples = 5;            // empty-job runs per mode; the median is the start-up cost
  std::chrono::seconds timeout{600};  // per run
  std::filesystem::path work_dir;     // scratch space: batches, outputs, logs
  // A timed run during which other processes used more than this many cores' worth of CPU (and
  // at least MIN_OTHER_CPU_SECONDS) is discarded and repeated, up to `max_retries` times, after
  // waiting up to `quiet_wait` for the machine to calm down, while the RetryBudget lasts.
  double quiet_cores = 0.15;
  int max_retries = 3;
  std::chrono::seconds quiet_wait{30};
};

/// What the whole invocation may spend on waiting for quiet and on runs it discards: under
/// lasting load, retrying every run would multiply the running time for nothing.
struct RetryBudget {
  double seconds_left = 150;
};

/// The timed runs of one tool in one mode.
struct ModeResult {
  std::vector<double> walls;      // seconds per run, start-up included
  std::vector<double> cpu;        // CPU seconds (user + system) of the tool per run
  std::vector<double> other_cpu;  // CPU seconds the rest of the machine used during each run
  double startup = 0;             // seconds: median of the empty-job runs (0 for process-per-image)
  double startup_cpu = 0;         // CPU seconds of the same
  long peak_rss_kib = 0;          // the largest over the runs (per process for process-per-image)
  int images = 0;                 // per run
  int discarded = 0;              // runs repeated because other work disturbed them

  double median_wall() const;
  /// The median run minus the fixed start-up: the time the images themselves took.
  double work_seconds() const;
  /// The same for CPU time: insensitive to other load on the machine.
  double work_cpu_seconds() const;
  /// Cores' worth of CPU other processes used while this tool ran (mean over the runs).
  double background_cores() const;
};

struct ToolResult {
  enum class Status { ok, skipped, failed };
  std::string name;   // Tool::name()
  std::string label;  // Tool::label()
  Status status = Status::ok;
  std::string detail;  // why skipped or failed (with the tool's stderr tail)
  bool process_per_image = false;
  int concurrency = 1;
  ModeResult all_cores;            // `concurrency` images at once
  ModeResult one_core;             // one image at a time, pinned to one CPU
  std::uint64_t output_bytes = 0;  // of the last all-cores run
  int outputs = 0;
  QualityScore quality;
  std::vector<std::string> notes;  // e.g. an output size that differs from the expected one
};

struct TaskResult {
  TaskSpec task;
  std::vector<std::string> commands;  // how each tool was driven, for the report
  std::vector<ToolResult> tools;      // in the order of the tools given
  std::optional<Ceiling> ceiling;     // decode-only + encode-only of our engine, one core
};

TaskResult run_task(const TaskSpec& task, const std::vector<std::unique_ptr<Tool>>& tools,
                    const Settings& settings, RetryBudget& budget, QualityJudge& judge);

}  // namespace imagesprint::bench
