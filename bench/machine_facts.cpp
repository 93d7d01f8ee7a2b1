#include "machine_facts.hpp"

#include <sched.h>
#include <sys/stat.h>

#include <ctime>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <vips/vips8>

#include "child_process.hpp"
#include "executables.hpp"

namespace imagesprint::bench {

namespace fs = std::filesystem;

namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string first_line(const std::string& text) {
  return trim(text.substr(0, text.find('\n')));
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return trim(line.substr(colon + 2));
    }
  }
  return "unknown";
}

/// A file's modification time as "YYYY-MM-DD HH:MM:SS UTC".
std::string modified_at(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return "?";
  std::tm utc{};
  ::gmtime_r(&info.st_mtime, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return text;
}

}  // namespace

int usable_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  return std::max(1, CPU_COUNT(&set));
}

int physical_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  std::set<std::pair<std::string, std::string>> cores;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &set)) continue;
    const fs::path topology = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology";
    std::string package, core;
    std::ifstream(topology / "physical_package_id") >> package;
    std::ifstream(topology / "core_id") >> core;
    cores.emplace(package, core.empty() ? std::to_string(cpu) : core);
  }
  return std::max(1, static_cast<int>(cores.size()));
}

MachineFacts collect_machine_facts(const fs::path& imagesprint, const fs::path& source_dir,
                                   const std::optional<fs::path>& node,
                                   const fs::path& sharp_runner,
                                   const std::optional<fs::path>& convert,
                                   const fs::path& scratch_dir) {
  MachineFacts f;
  f.cores = usable_cores();
  f.physical_cores = physical_cores();
  f.cpu_model = cpu_model();
  f.libvips = vips_version_string();
  f.imagesprint_binary = imagesprint.string() + ", built " + modified_at(imagesprint);
  if (const auto git = find_in_path("git")) {
    const std::string dir = source_dir.string();
    f.source_revision = first_line(
        capture_output({git->string(), "-C", dir, "rev-parse", "--short", "HEAD"}, scratch_dir));
    const std::string dirty = capture_output(
        {git->string(), "-C", dir, "status", "--porcelain", "--", "src", "CMakeLists.txt"},
        scratch_dir);
    if (!f.source_revision.empty() && !dirty.empty())
      f.source_revision += " + uncommitted changes in src/";
  }
  if (node) {
    f.node = first_line(capture_output({node->string(), "--version"}, scratch_dir));
    const std::string versions =
        capture_output({node->string(), sharp_runner.string(), "--versions"}, scratch_dir);
    const auto json = nlohmann::json::parse(first_line(versions), nullptr, false);
    if (json.is_object()) {
      f.sharp = json.value("sharp", "");
      f.sharp_libvips = json.value("vips", "");
    }
  }
  if (convert) {
    f.convert_path = convert->string();
    // "Version: ImageMagick 6.9.11-60 Q16 x86_64 2021-01-25 https://imagemagick.org"
    f.imagemagick = first_line(capture_output({convert->string(), "-version"}, scratch_dir));
    const auto at = f.imagemagick.find("ImageMagick ");
    if (at != std::string::npos) {
      std::string rest = f.imagemagick.substr(at + 12);
      const auto arch = rest.find(" x86_64");
      f.imagemagick_version = rest.substr(0, arch == std::string::npos ? rest.find(' ') : arch);
    }
  }
  return f;
}

}  // namespace imagesprint::bench
