#include "main/settings/work_settings.hpp"

#include <algorithm>
#include <array>
#include <thread>

namespace imagesprint {
namespace {

using Field = SettingField<WorkSettings>;

const std::array FIELDS{
    Field{.name = "workers",
          .help = "Images converted at once (0 = cores)",
          .member = &WorkSettings::workers,
          .min = 0,
          .max = 256},
    Field{.name = "worker_nice",
          .help = "Nice levels the conversion threads run below the HTTP IO threads (0 to 19)",
          .member = &WorkSettings::worker_nice,
          .min = 0,
          .max = 19},
    Field{.name = "queue_lease",
          .help = "Seconds a task stays leased before it is delivered again",
          .member = &WorkSettings::queue_lease,
          .min = 1},
    Field{.name = "max_deliveries",
          .help = "Deliveries of a task before its image is marked failed",
          .member = &WorkSettings::max_deliveries,
          .min = 1},
    Field{.name = "max_images_in_flight_per_user",
          .help = "Images of one user converted at once (0 = no cap; users are served in turn "
                  "anyway)",
          .member = &WorkSettings::max_images_in_flight_per_user,
          .min = 0},
    Field{.name = "conversion_memory_mib",
          .help = "MiB all conversions may take at once, by their estimated peaks; a conversion "
                  "waits for its share (0 = no budget)",
          .member = &WorkSettings::conversion_memory_mib,
          .min = 0},
};

}  // namespace

std::span<const SettingField<WorkSettings>> WorkSettings::fields() {
  return FIELDS;
}

int WorkSettings::worker_threads() const {
  if (workers > 0) return workers;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace imagesprint
