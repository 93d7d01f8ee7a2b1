#pragma once
#include <CLI/CLI.hpp>

namespace imagesprint {

/// Adds `imagesprint serve`: API + worker + janitor in one process on the embedded adapters
/// (SQLite, local folder, SQLite queue, in-process events). No services needed.
void add_serve_command(CLI::App& app, int& exit_code);

}  // namespace imagesprint
