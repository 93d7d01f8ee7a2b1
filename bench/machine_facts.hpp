#pragma once
// What the numbers were measured on, printed above the tables.
#include <filesystem>
#include <optional>
#include <string>

namespace imagesprint::bench {

struct MachineFacts {
  int cores = 1;              // CPUs this process may use
  int physical_cores = 1;     // distinct (package, core) among them: what sharp's perf.js uses
  std::string cpu_model;      // /proc/cpuinfo "model name"
  std::string libvips;        // the libvips our engine and this benchmark link
  std::string sharp;          // sharp's version ("" if it does not load)
  std::string sharp_libvips;  // the libvips inside sharp
  std::string node;           // node --version
  std::string imagemagick;    // first line of convert -version, shortened
  std::string imagemagick_version;  // e.g. "6.9.11-60 Q16"
  std::string convert_path;
  // Which engine was measured: other people rebuild build/release/imagesprint at will.
  std::string imagesprint_binary;  // path and modification time
  std::string source_revision;     // short commit of the checkout, "+ changes" if src/ is dirty
};

/// CPUs in this process's affinity mask.
int usable_cores();
/// Distinct physical cores among the usable CPUs (sysfs topology; SMT siblings count once).
int physical_cores();

MachineFacts collect_machine_facts(const std::filesystem::path& imagesprint,
                                   const std::filesystem::path& source_dir,
                                   const std::optional<std::filesystem::path>& node,
                                   const std::filesystem::path& sharp_runner,
                                   const std::optional<std::filesystem::path>& convert,
                                   const std::filesystem::path& scratch_dir);

}  // namespace imagesprint::bench
