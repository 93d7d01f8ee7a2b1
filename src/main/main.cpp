// The `imagesprint` binary: subcommands only; the work lives in app/ and below.
#include <CLI/CLI.hpp>

#include "imaging/engine.hpp"
#include "main/convert_command.hpp"
#include "main/service_command.hpp"
#include "main/write_signals.hpp"

int main(int argc, char** argv) {
  imagesprint::ignore_write_signals();
  CLI::App app{"ImageSprint: batch image conversion"};
  app.set_version_flag("--version", std::string("imagesprint ") + IMAGESPRINT_VERSION + " (" +
                                        imagesprint::engine_version() + ")");
  app.require_subcommand(1);
  int exit_code = 0;
  imagesprint::add_convert_command(app, exit_code);
  imagesprint::add_service_commands(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
