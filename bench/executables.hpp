#pragma once
// Finding the programs the benchmark drives.
#include <filesystem>
#include <optional>
#include <string>

namespace imagesprint::bench {

/// Searches PATH for `name`. With `prefer_native`, a compiled (ELF) program wins over an earlier
/// script of the same name: a wrapper script in front of ImageMagick's `convert` would add an
/// interpreter start-up to every image that ImageMagick itself does not cost.
std::optional<std::filesystem::path> find_in_path(const std::string& name,
                                                  bool prefer_native = false);

/// True when the file starts with the ELF magic number.
bool is_native_executable(const std::filesystem::path& path);

/// This benchmark's own executable (from /proc/self/exe).
std::filesystem::path self_executable();

}  // namespace imagesprint::bench
