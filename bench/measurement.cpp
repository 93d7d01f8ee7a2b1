#include "measurement.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "machine_load.hpp"

namespace imagesprint::bench {
namespace {

namespace fs = std::filesystem;

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

void fresh_dir(const fs::path& dir) {
  fs::remove_all(dir);
  fs::create_directories(dir);
}

/// Everything one tool needs across the rounds.
struct ToolState {
  const Tool* tool = nullptr;
  ToolResult result;
  const Batch* batch = nullptr;
  fs::path dir;  // work_dir/<task>/<tool>
};

/// One run of `tool` over `batch`; on failure marks the tool failed and says why.
bool timed_run(ToolState& s, const TaskSpec& task, const Batch& batch, const std::string& mode,
               int concurrency, bool one_cpu, const Settings& settings, RunResult* out) {
  const fs::path output_dir = s.dir / ("out-" + mode);
  const fs::path scratch = s.dir / "scratch";
  fresh_dir(output_dir);
  fs::create_directories(scratch);
  const Plan plan = s.tool->plan(RunRequest{task, batch, output_dir, scratch, concurrency});
  const RunResult r =
      run_commands(plan.commands, RunLimits{plan.parallelism, one_cpu, settings.timeout});
  std::fprintf(stderr, "  %-12s %-9s %3zu images  %7.3f s  %6.1f MiB  (others: %.2f cores)\n",
               s.tool->name().c_str(), mode.c_str(), batch.items.size(), r.wall_seconds,
               r.peak_rss_kib / 1024.0,
               r.wall_seconds > 0 ? r.other_cpu_seconds / r.wall_seconds : 0);
  if (!r.ok()) {
    s.result.status = ToolResult::Status::failed;
    s.result.detail = mode + " run failed: " + r.failure;
    std::fprintf(stderr, "  %s failed:\n%s\n", s.tool->name().c_str(), r.failure.c_str());
    return false;
  }
  // A zero exit with missing outputs is a failure too.
  std::size_t produced = 0;
  for (const auto& item : batch.items)
    produced += fs::exists(output_dir / item.output_name) ? 1 : 0;
  if (produced != batch.items.size()) {
    s.result.status = ToolResult::Status::failed;
    s.result.detail = mode + " run: " + std::to_string(produced) + " of " +
                      std::to_string(batch.items.size()) + " outputs written";
    return false;
  }
  if (out) *out = r;
  return true;
}

/// The fixed cost (wall and CPU seconds) of starting the tool with nothing to do, in one mode.
void measure_startup(ToolState& s, const TaskSpec& task, const Batch& empty, bool one_cpu,
                     int concurrency, const Settings& settings, ModeResult& mode) {
  if (s.result.process_per_image) return;
  std::vector<double> samples, cpu;
  for (int i = 0; i < settings.startup_samples; ++i) {
    const fs::path output_dir = s.dir / "out-empty";
    const fs::path scratch = s.dir / "scratch";
    fresh_dir(output_dir);
    fs::create_directories(scratch);
    const Plan plan = s.tool->plan(RunRequest{task, empty, output_dir, scratch, concurrency});
    const RunResult r =
        run_commands(plan.commands, RunLimits{plan.parallelism, one_cpu, settings.timeout});
    if (!r.ok()) return;  // the real runs will say what is wrong
    samples.push_back(r.wall_seconds);
    cpu.push_back(r.cpu_seconds);
  }
  mode.startup = median(samples);
  mode.startup_cpu = median(cpu);
}

/// Below this, other processes' CPU time during a run is noise (/proc/stat counts in ticks).
constexpr double MIN_OTHER_CPU_SECONDS = 0.05;

void record(ModeResult& mode, const RunResult& r, int images);

/// A timed run that counts: repeated while other work on the machine disturbed it and the
/// retry budget lasts.
bool measured_run(ToolState& s, const TaskSpec& task, const std::string& mode_name, int concurrency,
                  bool one_cpu, const Settings& settings, RetryBudget& budget, ModeResult& mode) {
  for (int attempt = 0;; ++attempt) {
    RunResult r;
    if (!timed_run(s, task, *s.batch, mode_name, concurrency, one_cpu, settings, &r)) return false;
    const double others = r.wall_seconds > 0 ? r.other_cpu_seconds / r.wall_seconds : 0;
    const bool disturbed =
        others > settings.quiet_cores && r.other_cpu_seconds > MIN_OTHER_CPU_SECONDS;
    if (disturbed && budget.seconds_left <= 0 && attempt == 0) {
      std::fprintf(stderr, "  ^ disturbed (%.2f cores), kept: the retry budget is used up\n",
                   others);
    }
    if (!disturbed || attempt >= settings.max_retries || budget.seconds_left <= 0) {
      record(mode, r, static_cast<int>(s.batch->items.size()));
      return true;
    }
    ++mode.discarded;
    std::fprintf(stderr, "  ^ discarded: other processes used %.2f cores; waiting for quiet\n",
                 others);
    const auto wait_start = std::chrono::steady_clock::now();
    wait_for_quiet_machine(settings.quiet_cores, settings.quiet_wait);
    budget.seconds_left -=
        r.wall_seconds +
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wait_start).count();
  }
}

void record(ModeResult& mode, const RunResult& r, int images) {
  mode.walls.push_back(r.wall_seconds);
  mode.cpu.push_back(r.cpu_seconds);
  mode.other_cpu.push_back(r.other_cpu_seconds);
  mode.peak_rss_kib = std::max(mode.peak_rss_kib, r.peak_rss_kib);
  mode.images = images;
}

/// Output bytes and quality of the last all-cores run; one score per distinct source.
void score_outputs(ToolState& s, const TaskSpec& task, QualityJudge& judge) {
  const fs::path output_dir = s.dir / "out-all";
  std::map<std::string, bool> scored;
  for (const auto& item : s.batch->items) {
    const fs::path out = output_dir / item.output_name;
    s.result.output_bytes += fs::file_size(out);
    ++s.result.outputs;
    if (scored[item.source.string()]) continue;
    scored[item.source.string()] = true;
    try {
      const vips::VImage header = vips::VImage::new_from_file(out.c_str());
      if (header.width() != item.output.width || header.height() != item.output.height) {
        s.result.notes.push_back(
            item.source.filename().string() + ": output " + std::to_string(header.width()) + "x" +
            std::to_string(header.height()) + ", expected " + std::to_string(item.output.width) +
            "x" + std::to_string(item.output.height));
      }
      const QualityScore one = judge.score(item.source, out, task.compared_fraction);
      std::fprintf(stderr, "  %-12s SSIM %.4f  MAD %.2f  %s\n", s.tool->name().c_str(), one.ssim,
                   one.mad, item.source.filename().c_str());
      s.result.quality = combine(s.result.quality, one);
    } catch (const vips::VError& e) {
      s.result.notes.push_back("cannot score " + out.filename().string() + ": " + e.what());
    }
  }
}

}  // namespace

double ModeResult::median_wall() const {
  return median(walls);
}

double ModeResult::work_seconds() const {
  const double wall = median_wall();
  // Guard against a start-up sample larger than a (tiny) run: never below a tenth of the wall.
  return std::max(wall - startup, wall * 0.1);
}

double ModeResult::work_cpu_seconds() const {
  const double total = median(cpu);
  return std::max(total - startup_cpu, total * 0.1);
}

double ModeResult::background_cores() const {
  double sum = 0, wall = 0;
  for (std::size_t i = 0; i < other_cpu.size() && i < walls.size(); ++i) {
    sum += other_cpu[i];
    wall += walls[i];
  }
  return wall > 0 ? sum / wall : 0;
}

TaskResult run_task(const TaskSpec& task, const std::vector<std::unique_ptr<Tool>>& tools,
                    const Settings& settings, RetryBudget& budget, QualityJudge& judge) {
  TaskResult result{task, {}, {}};
  const fs::path task_dir = settings.work_dir / task.id;
  std::fprintf(stderr, "%s: %s\n", task.id.c_str(), task.title.c_str());

  // Batches: the full one, the slow peer's smaller one, one copy of each source for warm-up, and
  // an empty one for start-up.
  const Batch full = make_batch(task, task.copies, task_dir / "in-full");
  const Batch small = make_batch(task, task.slow_copies, task_dir / "in-small");
  const Batch warm = make_batch(task, 1, task_dir / "in-warm");
  const Batch empty = make_empty_batch(task_dir / "in-empty");

  wait_for_quiet_machine(settings.quiet_cores, settings.quiet_wait);
  std::vector<ToolState> states;
  for (const auto& tool : tools) {
    ToolState s;
    s.tool = tool.get();
    s.result.name = tool->name();
    s.result.label = tool->label();
    s.result.process_per_image = tool->process_per_image();
    s.result.concurrency = settings.cores;
    s.batch = tool->slow() ? &small : &full;
    s.dir = task_dir / tool->name();
    result.commands.push_back(tool->label() + ": `" + tool->describe(task) + "`");
    if (const auto why = tool->missing()) {
      s.result.status = ToolResult::Status::skipped;
      s.result.detail = *why;
      std::fprintf(stderr, "  %-12s skipped: %s\n", tool->name().c_str(), why->c_str());
    }
    states.push_back(std::move(s));
  }

  for (auto& s : states) {
    if (s.result.status != ToolResult::Status::ok) continue;
    if (!timed_run(s, task, warm, "warm-up", settings.cores, false, settings, nullptr)) continue;
    measure_startup(s, task, empty, false, settings.cores, settings, s.result.all_cores);
    measure_startup(s, task, empty, true, 1, settings, s.result.one_core);
  }
  for (int round = 0; round < settings.repeats; ++round) {
    for (auto& s : states) {
      if (s.result.status != ToolResult::Status::ok) continue;
      measured_run(s, task, "one-core", 1, true, settings, budget, s.result.one_core);
    }
    // All-cores last in each round: the last round's outputs are the ones scored.
    for (auto& s : states) {
      if (s.result.status != ToolResult::Status::ok) continue;
      measured_run(s, task, "all", settings.cores, false, settings, budget, s.result.all_cores);
    }
  }
  for (auto& s : states) {
    if (s.result.status == ToolResult::Status::ok) score_outputs(s, task, judge);
    result.tools.push_back(std::move(s.result));
  }
  return result;
}

}  // namespace imagesprint::bench
