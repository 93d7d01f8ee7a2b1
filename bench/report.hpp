#pragma once
// The benchmark's result as markdown: machine facts, one table per task, the ratios of our
// engine to each peer against the targets, and the notes a reader needs to trust the numbers.
#include <string>
#include <vector>

#include "machine_facts.hpp"
#include "measurement.hpp"

namespace imagesprint::bench {

/// Targets from the benchmark issue: ours against each peer.
struct Targets {
  double throughput_vs_sharp = 1.15;       // at least, on every task
  double one_core_vs_sharp = 1.25;         // one-core speed, at least
  double throughput_vs_imagemagick = 8.0;  // at least
  double rss_vs_sharp = 1.0;               // at most
};

std::string render_report(const MachineFacts& facts, const Settings& settings, bool quick,
                          const std::vector<TaskResult>& tasks, const Targets& targets = {});

}  // namespace imagesprint::bench
