#include "imaging/deadline.hpp"

namespace imagesprint {

Deadline::Deadline(double seconds)
    : budget_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds))),
      at_(Clock::now() + budget_) {
  DeadlineWatchdog::instance().add(watch_, at_);
}

Deadline::~Deadline() {
  DeadlineWatchdog::instance().remove(watch_);
}

void Deadline::restart() {
  at_ = Clock::now() + budget_;
  DeadlineWatchdog::instance().reset(watch_, at_);
}

void Deadline::arm(const vips::VImage& image) {
  DeadlineWatchdog::instance().set_image(watch_, image.get_image());
}

}  // namespace imagesprint
