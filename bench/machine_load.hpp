#pragma once
// Other work on the machine: on a shared box a neighbour's compile silently halves a tool's
// speed, so runs are checked for it and, when there was some, repeated.
#include <chrono>

namespace imagesprint::bench {

/// Busy CPU time of the whole machine since boot, in seconds summed over CPUs (/proc/stat).
double machine_busy_seconds();

/// Waits until the machine's busy time over a short window stays under `max_cores` (in cores'
/// worth of CPU), or `max_wait` has passed. Returns the load of the last window.
double wait_for_quiet_machine(double max_cores, std::chrono::seconds max_wait);

}  // namespace imagesprint::bench
