#include "main/progress_bar.hpp"

#include <unistd.h>

#include <algorithm>

namespace imagesprint {

ProgressBar::ProgressBar(int total, std::FILE* out)
    : total_(total),
      out_(out),
      tty_(::isatty(::fileno(out)) != 0),
      started_(std::chrono::steady_clock::now()) {}

void ProgressBar::advance(const std::string& name, const std::string& failure) {
  ++done_;
  if (!failure.empty()) ++failed_;
  if (tty_) {
    if (!failure.empty())
      std::fprintf(out_, "\r\033[2KFAILED %s: %s\n", name.c_str(), failure.c_str());
    draw();
  } else {
    std::fprintf(out_, "[%d/%d] %s %s%s\n", done_, total_, failure.empty() ? "ok" : "FAILED",
                 name.c_str(), failure.empty() ? "" : (": " + failure).c_str());
  }
  std::fflush(out_);
}

void ProgressBar::draw() {
  constexpr int WIDTH = 30;
  const int filled = total_ > 0 ? done_ * WIDTH / total_ : WIDTH;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const double rate = elapsed > 0 ? done_ / elapsed : 0.0;
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(WIDTH - filled), '.');
  std::fprintf(out_, "\r\033[2K[%s] %d/%d  %d failed  %.1f img/s", bar.c_str(), done_, total_,
               failed_, rate);
}

void ProgressBar::finish() {
  if (tty_) std::fprintf(out_, "\r\033[2K");
  std::fflush(out_);
}

}  // namespace imagesprint
