#pragma once
// Runs tools as child processes and measures them from the outside: wall time around the whole
// batch and each process's peak resident set from wait4()'s rusage (ru_maxrss). No tool is asked
// to time itself, so every peer is measured by the same clock.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace imagesprint::bench {

/// One program invocation.
struct Command {
  std::vector<std::string> argv;      // argv[0] is an absolute path (no PATH search after fork)
  std::filesystem::path stdout_path;  // empty: /dev/null
  std::filesystem::path stderr_path;  // empty: /dev/null
};

/// How a list of commands is run.
struct RunLimits {
  int parallelism = 1;                // commands running at once
  bool pin_to_one_cpu = false;        // sched_setaffinity to one CPU: the "one core" measurement
  std::chrono::seconds timeout{600};  // for the whole list; then every child is killed
};

struct RunResult {
  double wall_seconds = 0;  // first fork to last reap
  long peak_rss_kib = 0;    // the largest ru_maxrss of any one child
  double cpu_seconds = 0;   // user + system time of all the children
  // CPU time the rest of the machine used meanwhile (/proc/stat busy time minus the children's):
  // anything well above zero means the run competed with other work and its timing is suspect.
  double other_cpu_seconds = 0;
  int processes = 0;  // children started
  int failed = 0;     // children that exited non-zero or died of a signal
  bool timed_out = false;
  std::string failure;  // what the first failing child said: status and the tail of stderr

  bool ok() const { return failed == 0 && !timed_out; }
};

/// Runs `commands`, at most `limits.parallelism` at a time, and waits for all of them.
RunResult run_commands(const std::vector<Command>& commands, const RunLimits& limits);

/// Runs one command and returns its standard output (empty when it fails).
std::string capture_output(const std::vector<std::string>& argv,
                           const std::filesystem::path& scratch_dir);

/// The last `max_bytes` of a file, trimmed to whole lines where possible.
std::string tail_of_file(const std::filesystem::path& path, std::size_t max_bytes = 1200);

}  // namespace imagesprint::bench
