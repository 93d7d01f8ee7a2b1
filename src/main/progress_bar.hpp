#pragma once
// Progress of a batch on the terminal: a redrawn bar on a TTY, one plain line per file otherwise.
#include <chrono>
#include <cstdio>
#include <string>

namespace imagesprint {

class ProgressBar {
 public:
  ProgressBar(int total, std::FILE* out);
  /// Records one finished item; `failure` is empty on success.
  void advance(const std::string& name, const std::string& failure);
  /// Clears the bar line (before the summary is printed).
  void finish();

 private:
  void draw();
  int total_;
  int done_ = 0;
  int failed_ = 0;
  std::FILE* out_;
  bool tty_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace imagesprint
