#include "report.hpp"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace imagesprint::bench {
namespace {

std::string format(const char* pattern, ...) __attribute__((format(printf, 1, 2)));

std::string format(const char* pattern, ...) {
  va_list args;
  va_start(args, pattern);
  va_list again;
  va_copy(again, args);
  const int size = std::vsnprintf(nullptr, 0, pattern, args);
  va_end(args);
  std::string text(size > 0 ? static_cast<std::size_t>(size) : 0, '\0');
  std::vsnprintf(text.data(), text.size() + 1, pattern, again);
  va_end(again);
  return text;
}

double mib(long kib) {
  return kib / 1024.0;
}

double images_per_second(const ModeResult& m) {
  return m.work_seconds() > 0 ? m.images / m.work_seconds() : 0;
}
double images_per_second_wall(const ModeResult& m) {
  return m.median_wall() > 0 ? m.images / m.median_wall() : 0;
}
double cpu_ms_per_image(const ModeResult& m) {
  return m.images > 0 ? 1000.0 * m.work_cpu_seconds() / m.images : 0;
}
double ms_per_image(const ModeResult& m) {
  return m.images > 0 ? 1000.0 * m.work_seconds() / m.images : 0;
}

std::string runs(const std::vector<double>& walls) {
  std::string out;
  for (const double w : walls) out += format("%s%.3f", out.empty() ? "" : " ", w);
  return out;
}

std::string row(const ToolResult& t) {
  if (t.status == ToolResult::Status::skipped) {
    return "| " + t.label + " | skipped (" + t.detail + ") | | | | | | |\n";
  }
  if (t.status == ToolResult::Status::failed)
    return "| " + t.label + " | failed (see notes) | | | | | | |\n";
  const std::string rss =
      format("%.1f", mib(t.all_cores.peak_rss_kib)) + (t.process_per_image ? " ¹" : "");
  const double kib_per_image = t.outputs ? t.output_bytes / 1024.0 / t.outputs : 0;
  return format("| %s | %.1f | %.1f | %.1f | %s | %.1f | %.4f | %.2f |\n", t.label.c_str(),
                images_per_second(t.all_cores), ms_per_image(t.one_core),
                cpu_ms_per_image(t.one_core), rss.c_str(), kib_per_image, t.quality.ssim,
                t.quality.mad);
}

/// The largest background load seen during any tool's runs of the task, in cores.
double background_load(const TaskResult& r) {
  double most = 0;
  for (const auto& t : r.tools) {
    most = std::max({most, t.all_cores.background_cores(), t.one_core.background_cores()});
  }
  return most;
}

std::string verdict(double value, double target, bool at_least) {
  const bool met = at_least ? value >= target : value <= target;
  if (met) return format("target %s %.2fx: met", at_least ? "≥" : "≤", target);
  const double miss = at_least ? (1 - value / target) * 100 : (value / target - 1) * 100;
  return format("target %s %.2fx: **MISSED by %.0f%%**", at_least ? "≥" : "≤", target, miss);
}

std::string ratios(const ToolResult& ours, const ToolResult& peer, double throughput_target,
                   double rss_target, double one_core_target) {
  if (ours.status != ToolResult::Status::ok || peer.status != ToolResult::Status::ok) {
    return "- vs " + peer.label + ": no ratio (" +
           (ours.status != ToolResult::Status::ok ? std::string("ours") : peer.label) +
           " did not run)\n";
  }
  const double throughput = images_per_second(ours.all_cores) / images_per_second(peer.all_cores);
  const double throughput_wall =
      images_per_second_wall(ours.all_cores) / images_per_second_wall(peer.all_cores);
  const double one_core = ms_per_image(peer.one_core) / ms_per_image(ours.one_core);
  const double rss = static_cast<double>(ours.all_cores.peak_rss_kib) / peer.all_cores.peak_rss_kib;
  std::string line =
      format("- vs %s: throughput **%.2fx** (%s; %.2fx with process start-up included), ",
             peer.label.c_str(), throughput, verdict(throughput, throughput_target, true).c_str(),
             throughput_wall);
  if (one_core_target > 0) {
    line += format("one-core speed **%.2fx** (%s), ", one_core,
                   verdict(one_core, one_core_target, true).c_str());
  } else {
    line += format("one-core speed %.2fx, ", one_core);
  }
  if (one_core_target > 0) {  // the peer whose quality ours must match
    const double d = ours.quality.ssim - peer.quality.ssim;
    line +=
        format("SSIM %.4f vs %.4f (target: no worse: %s), ", ours.quality.ssim, peer.quality.ssim,
               d >= -0.0005 ? "met" : format("**MISSED by %.4f**", -d).c_str());
  }
  if (peer.process_per_image) {
    line += format("peak RSS %.2fx of one of its processes (%.2fx of the %d it runs at once)\n",
                   rss, rss / peer.concurrency, peer.concurrency);
  } else if (rss_target > 0) {
    line += format("peak RSS **%.2fx** (%s)\n", rss, verdict(rss, rss_target, false).c_str());
  } else {
    line += format("peak RSS %.2fx\n", rss);
  }
  return line;
}

/// The goals against sharp, each judged against sharp's best figure over its set-ups (perf.js,
/// parallel.js): the comparison takes the peer at its best on this machine.
std::string sharp_goals(const ToolResult& ours, const std::vector<ToolResult>& tools,
                        const Targets& targets) {
  const ToolResult *fastest = nullptr, *fastest_one = nullptr, *leanest = nullptr,
                   *sharpest = nullptr;
  for (const auto& t : tools) {
    if (t.name.rfind("sharp", 0) != 0 || t.status != ToolResult::Status::ok) continue;
    if (!fastest || images_per_second(t.all_cores) > images_per_second(fastest->all_cores))
      fastest = &t;
    if (!fastest_one || ms_per_image(t.one_core) < ms_per_image(fastest_one->one_core))
      fastest_one = &t;
    if (!leanest || t.all_cores.peak_rss_kib < leanest->all_cores.peak_rss_kib) leanest = &t;
    if (!sharpest || t.quality.ssim > sharpest->quality.ssim) sharpest = &t;
  }
  if (!fastest || ours.status != ToolResult::Status::ok) return "";
  const double throughput =
      images_per_second(ours.all_cores) / images_per_second(fastest->all_cores);
  const double one_core = ms_per_image(fastest_one->one_core) / ms_per_image(ours.one_core);
  const double rss =
      static_cast<double>(ours.all_cores.peak_rss_kib) / leanest->all_cores.peak_rss_kib;
  const double ssim_gap = sharpest->quality.ssim - ours.quality.ssim;
  std::string s = "Goals against sharp, each against its best set-up for that figure:\n\n";
  s += format("- throughput (all cores) **%.2fx** %s (%s)\n", throughput, fastest->label.c_str(),
              verdict(throughput, targets.throughput_vs_sharp, true).c_str());
  s += format("- one core **%.2fx** %s (%s)\n", one_core, fastest_one->label.c_str(),
              verdict(one_core, targets.one_core_vs_sharp, true).c_str());
  s += format("- peak RSS **%.2fx** %s (%s)\n", rss, leanest->label.c_str(),
              verdict(rss, targets.rss_vs_sharp, false).c_str());
  s +=
      format("- SSIM %.4f against %.4f (%s): %s\n\n", ours.quality.ssim, sharpest->quality.ssim,
             sharpest->label.c_str(),
             ssim_gap <= 0.0005 ? "no worse: met" : format("**MISSED by %.4f**", ssim_gap).c_str());
  return s;
}

std::string task_section(const TaskResult& r, const Settings& settings, const Targets& targets) {
  const TaskSpec& task = r.task;
  std::string s = "## " + task.id + " — " + task.title + "\n\n";
  s += "| tool | images/s (all cores) | ms/image (1 core) | CPU ms/image (1 core) | peak RSS MiB | "
       "output KiB/image | SSIM vs reference | MAD vs reference |\n";
  s += "|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& t : r.tools) s += row(t);
  s += "\n";
  const double background = background_load(r);
  if (background > settings.quiet_cores) {
    s += format(
        "**Warning: other processes kept %.2f cores busy on average during some of these runs "
        "(see the notes): the machine was not quiet, and the speed numbers are not to be "
        "trusted. CPU ms/image is less affected. Rerun on an idle machine.**\n\n",
        background);
  }

  // Ratios: the first tool is ours, the others are peers.
  if (!r.tools.empty()) {
    s += "Ours against each peer (speed: higher is better; memory: lower is better):\n\n";
    const ToolResult& ours = r.tools.front();
    for (std::size_t i = 1; i < r.tools.size(); ++i) {
      const ToolResult& peer = r.tools[i];
      const bool is_sharp = peer.name.rfind("sharp", 0) == 0;
      s += ratios(ours, peer,
                  is_sharp ? targets.throughput_vs_sharp : targets.throughput_vs_imagemagick,
                  is_sharp ? targets.rss_vs_sharp : 0, is_sharp ? targets.one_core_vs_sharp : 0);
    }
    s += "\n";
    s += sharp_goals(ours, r.tools, targets);
  }
  if (r.ceiling && !r.tools.empty() && r.tools.front().status == ToolResult::Status::ok) {
    const Ceiling& c = *r.ceiling;
    const double pipeline = cpu_ms_per_image(r.tools.front().one_core);
    s += format(
        "Where our time goes (CPU time of the engine's own code in-process, one core, median of %d "
        "rounds "
        "over the %d distinct image(s); bench/ceiling.hpp):",
        settings.repeats, c.images);
    double steps_total = 0;
    for (const auto& step : c.steps) {
      s += format(" %s %.1f ms,", step.name.c_str(), step.ms);
      steps_total += step.ms;
    }
    s += format(
        " together %.1f ms/image. Ceiling: decode-only at the engine's shrink-on-load %.1f ms + "
        "encode-only of the finished pixels %.1f ms = **%.1f ms/image**; the whole pipeline, as "
        "`imagesprint convert` on one core, takes %.1f CPU ms/image: **%.0f%%** of the ceiling's "
        "speed (the rest: the steps between, reading and writing files, bookkeeping).\n\n",
        steps_total, c.decode_ms, c.encode_ms, c.total_ms(), pipeline,
        100.0 * c.total_ms() / pipeline);
  }

  s += "Notes:\n\n";
  int fast_images = 0, slow_images = 0;
  for (const auto& t : r.tools) {
    if (t.status != ToolResult::Status::ok) continue;
    (t.process_per_image ? slow_images : fast_images) = t.all_cores.images;
  }
  s +=
      format("- Batch: %zu distinct image(s); %d images per run", task.sources.size(), fast_images);
  if (slow_images > 0 && slow_images != fast_images) {
    s += format(
        " (ImageMagick: %d, to keep the run short; the same images in the same proportions, "
        "and rates are per image, so nothing is scaled)",
        slow_images);
  }
  s += format(
      ". \"All cores\" = %d images at once; \"1 core\" = one at a time, pinned to one CPU.\n",
      settings.cores);
  std::string startups;
  for (const auto& t : r.tools) {
    if (t.status != ToolResult::Status::ok || t.process_per_image) continue;
    startups += format("%s%s %.0f ms (all cores) / %.0f ms (1 core)", startups.empty() ? "" : ", ",
                       t.label.c_str(), t.all_cores.startup * 1000, t.one_core.startup * 1000);
  }
  if (!startups.empty()) {
    s += "- Process start-up (an empty job, median of " + std::to_string(settings.startup_samples) +
         ") is subtracted from the run times above, since a service starts once: " + startups +
         ".\n";
  }
  for (const auto& t : r.tools) {
    if (t.status == ToolResult::Status::ok && t.process_per_image) {
      s += format(
          "- ¹ %s runs one process per image, %d at once: peak RSS is the largest single "
          "process (ru_maxrss), together up to %dx that. Its process start-up is part of its "
          "per-image cost and is not subtracted.\n",
          t.label.c_str(), t.concurrency, t.concurrency);
    }
  }
  std::string region;
  if (task.compared_fraction < 1) {
    region = format(
        ", comparing the top %.0f%% of each image (the watermark is at the bottom and every tool "
        "draws it slightly differently)",
        task.compared_fraction * 100);
  }
  s += format(
      "- Quality: each distinct output of the last all-cores run against a libvips reference "
      "(full decode, no shrink-on-load, lanczos3 with no box pre-shrink, to the output's size, "
      "no watermark)%s. SSIM on luminance (1 = identical); MAD = mean absolute difference per "
      "RGB sample (0-255).\n",
      region.c_str());
  for (const auto& t : r.tools) {
    if (t.status == ToolResult::Status::ok) {
      s +=
          format("- Other processes during %s's runs: %.2f cores busy (all cores), %.2f (1 core)\n",
                 t.label.c_str(), t.all_cores.background_cores(), t.one_core.background_cores());
      s += "- Runs of " + t.label + " (s, start-up included): all cores " +
           runs(t.all_cores.walls) + "; 1 core " + runs(t.one_core.walls);
      const int discarded = t.all_cores.discarded + t.one_core.discarded;
      if (discarded > 0) {
        s += format(" (%d more discarded and repeated: other processes were busy)", discarded);
      }
      s += "\n";
    }
    if (t.status == ToolResult::Status::ok && t.quality.images > 1) {
      s += format("- %s: lowest SSIM of one image %.4f (%s)\n", t.label.c_str(),
                  t.quality.worst_ssim, t.quality.worst_image.c_str());
    }
    for (const auto& note : t.notes) s += "- " + t.label + ": " + note + "\n";
    if (t.status == ToolResult::Status::failed) {
      s += "- " + t.label + " failed: \n\n```\n" + t.detail + "\n```\n";
    }
  }
  s += "- Commands:\n";
  for (const auto& c : r.commands) s += "  - " + c + "\n";
  return s + "\n";
}

/// How the peers are set up, and what that favours: for a reader judging the ratios.
std::string fairness_notes() {
  return "## How the tools are set up\n\n"
         "- Ours parallelises across images, one image per thread: `-j N` with libvips "
         "concurrency 1; ImageMagick N `convert` processes with `-limit thread 1` (its OpenMP "
         "threads on top would only oversubscribe the cores). sharp runs twice, the two ways its "
         "own benchmarks drive it (lovell/sharp test/bench): perf.js (`cache(false)`, "
         "`concurrency(<physical cores>)`, one image at a time: the threads are inside the "
         "image) and parallel.js (`concurrency(1)`, N images in flight, UV_THREADPOOL_SIZE=64; "
         "`cache(false)` too); each goal is judged against the better of the two.\n"
         "- Same geometry and encoder settings: fit inside the box without enlarging, lanczos3 "
         "(ImageMagick: its default Lanczos when shrinking), auto-orient, metadata stripped, JPEG "
         "with optimised Huffman tables, WebP effort/method 4. Ours and sharp use the same libvips "
         "build.\n"
         "- Shrink-on-load, each tool as shipped: ours as its `shrink_on_load` step decides; "
         "sharp lets the JPEG decoder shrink by the largest of 8/4/2 that fits the reduction, "
         "one step less when the reduction's integer part equals that shrink (its guard against "
         "libjpeg rounding: 2.0x-2.99x decodes at full size, 3.8x and 4.0x-4.99x shrink by 2); "
         "ImageMagick runs without its `-define jpeg:size=` hint, as `convert` usually is, and "
         "decodes at full size. The quality columns (and the lowest-SSIM notes) show what each "
         "choice costs.\n"
         "- Watermark: ours renders text with libvips/Pango from NanumGothic; sharp composites an "
         "SVG text (librsvg, same font family, same size, margin and opacity); ImageMagick draws "
         "it with `-annotate` from the same font file. Sizes and margins are computed once by "
         "the benchmark so all three draw the same box.\n"
         "- Memory: sharp's peak RSS includes the Node runtime (part of running sharp at all); "
         "ImageMagick's is per process, under Debian's policy.xml limits as shipped.\n"
         "- Start-up of our binary and of Node + sharp is subtracted (a service starts once); the "
         "ratios also give the figure with it included.\n";
}

}  // namespace

std::string render_report(const MachineFacts& f, const Settings& settings, bool quick,
                          const std::vector<TaskResult>& tasks, const Targets& targets) {
  std::string s = "# ImageSprint benchmark\n\n";
  if (quick) s += "**Quick smoke run: small batches, numbers are indicative only.**\n\n";
  s += format("- Machine: %d cores, %s\n", f.cores, f.cpu_model.c_str());
  s += "- imagesprint: " + f.imagesprint_binary +
       (f.source_revision.empty() ? "" : "; checkout now at " + f.source_revision) + "\n";
  s += "- libvips " + f.libvips + " (ours, npm prebuilt)" +
       (f.sharp_libvips.empty() ? "" : "; sharp's: " + f.sharp_libvips) + "\n";
  s += "- sharp " +
       (f.sharp.empty() ? std::string("not available") : f.sharp + " on Node " + f.node) + "\n";
  if (!f.imagemagick_version.empty()) {
    s += "- ImageMagick " + f.imagemagick_version + " (" + f.convert_path + ")\n";
  } else if (!f.convert_path.empty()) {
    s += "- ImageMagick: `" + f.convert_path + " -version` named no version\n";
  } else {
    s += "- ImageMagick not available\n";
  }
  s += format(
      "- Protocol: a warm-up run per tool, then %d round(s); each round runs every tool on 1 "
      "core, then on all %d cores; the median run counts. Wall time and peak RSS are measured "
      "from outside (wait4 rusage).\n\n",
      settings.repeats, settings.cores);
  for (const auto& t : tasks) s += task_section(t, settings, targets);
  s += fairness_notes();
  return s;
}

}  // namespace imagesprint::bench
