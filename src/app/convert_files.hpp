#pragma once
// Use case: convert local files into a folder, several at once (the `convert` command).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/conversion_options.hpp"
#include "domain/error.hpp"
#include "imaging/engine.hpp"

namespace imagesprint {

struct FileOutcome {
  std::filesystem::path input;
  std::filesystem::path output;  // set when the conversion succeeded
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  int width = 0;
  int height = 0;
  std::uint64_t memory_estimate = 0;  // bytes the engine reserved for it
  std::optional<Error> error;         // set when it failed
  double seconds = 0;
};

struct BatchSummary {
  int ok = 0;
  int failed = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  std::uint64_t largest_memory_estimate = 0;  // bytes (ConversionResult::memory_estimate)
  double seconds = 0;
};

struct BatchRequest {
  std::vector<std::filesystem::path> inputs;
  std::filesystem::path output_dir;
  ConversionOptions options;
  std::vector<std::uint8_t> watermark_image;
  EngineLimits limits;
  int threads = 0;  // 0: one per core
};

/// Output file names for the inputs: the input's base name with the output format's extension,
/// made unique ("photo.jpg", "photo-1.jpg" ...) so that no output overwrites another, nor an
/// input that sits in `output_dir` (`convert . -o .` keeps the originals, as sharp refuses to
/// write a file onto its input).
std::vector<std::string> plan_output_names(const std::vector<std::filesystem::path>& inputs,
                                           OutputFormat format,
                                           const std::filesystem::path& output_dir);

/// Converts every input; a failure fails that file only. `on_done` is called (serialised) as
/// each file finishes. Outputs are written atomically (temporary file, then rename).
BatchSummary convert_files(const BatchRequest& request,
                           const std::function<void(const FileOutcome&)>& on_done);

}  // namespace imagesprint
