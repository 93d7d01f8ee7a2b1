#pragma once
// A tool under test: turns a task and a batch into the commands that do the work. The three
// implementations (tool_imagesprint.cpp, tool_sharp.cpp, tool_imagemagick.cpp) each document
// what their command does and why it is the same work as ours.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "tasks.hpp"

namespace imagesprint::bench {

struct RunRequest {
  const TaskSpec& task;
  const Batch& batch;
  std::filesystem::path output_dir;   // exists and is empty
  std::filesystem::path scratch_dir;  // for job files and logs
  int concurrency = 1;                // images converted at once
};

/// Commands plus how many of them may run at once.
struct Plan {
  std::vector<Command> commands;
  int parallelism = 1;
};

class Tool {
 public:
  virtual ~Tool() = default;
  /// Short name, used for folders: "imagesprint", "sharp", "imagemagick".
  virtual std::string name() const = 0;
  /// Name and version for the table.
  virtual std::string label() const = 0;
  /// Why the tool cannot run here (not installed ...); nullopt when it can.
  virtual std::optional<std::string> missing() const = 0;
  virtual Plan plan(const RunRequest& request) const = 0;
  /// One command line (for the report) showing how the tool is driven for `task`.
  virtual std::string describe(const TaskSpec& task) const = 0;
  /// One process per image: its start-up is part of every image's cost (not subtracted), and
  /// its peak RSS is per process, with `concurrency` of them alive at once.
  virtual bool process_per_image() const { return false; }
  /// Gets the task's smaller batch (slow_copies) to keep the run short.
  virtual bool slow() const { return false; }
};

std::unique_ptr<Tool> make_imagesprint_tool(std::filesystem::path binary);
/// How sharp is driven: as its perf.js benchmark does, or as its parallel.js does (tool_sharp.cpp).
enum class SharpSetup { perf_js, parallel_js };
std::unique_ptr<Tool> make_sharp_tool(std::optional<std::filesystem::path> node,
                                      std::filesystem::path runner, std::string version,
                                      SharpSetup setup, int physical_cores);
std::unique_ptr<Tool> make_imagemagick_tool(std::optional<std::filesystem::path> convert,
                                            std::string version);

/// Joins argv for display, quoting what a shell would split.
std::string shell_line(const std::vector<std::string>& argv);

/// A number as a command-line argument: "0.5", not std::to_string's "0.500000".
std::string format_number(double value);

}  // namespace imagesprint::bench
