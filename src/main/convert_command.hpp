#pragma once
#include <CLI/CLI.hpp>

namespace imagesprint {

/// Adds `imagesprint convert IN... -o DIR [options]` to the CLI; returns the exit code holder.
void add_convert_command(CLI::App& app, int& exit_code);

}  // namespace imagesprint
