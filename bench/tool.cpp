#include "tool.hpp"

#include <cstdio>

namespace imagesprint::bench {

std::string shell_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& arg : argv) {
    if (!line.empty()) line += ' ';
    const bool plain = !arg.empty() && arg.find_first_of(" '\"()<>&;|*?$\\") == std::string::npos;
    line += plain ? arg : "'" + arg + "'";
  }
  return line;
}

std::string format_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

}  // namespace imagesprint::bench
