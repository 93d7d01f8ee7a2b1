#include "machine_load.hpp"

#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>

namespace imagesprint::bench {

double machine_busy_seconds() {
  std::ifstream in("/proc/stat");
  std::string label;
  unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0,
                     steal = 0;
  in >> label >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  if (!in || label != "cpu") return 0;
  static const double ticks_per_second = static_cast<double>(::sysconf(_SC_CLK_TCK));
  return static_cast<double>(user + nice + system + irq + softirq + steal) / ticks_per_second;
}

double wait_for_quiet_machine(double max_cores, std::chrono::seconds max_wait) {
  using Clock = std::chrono::steady_clock;
  constexpr auto WINDOW = std::chrono::milliseconds(500);
  const auto deadline = Clock::now() + max_wait;
  double load = 0;
  do {
    const double before = machine_busy_seconds();
    const auto start = Clock::now();
    std::this_thread::sleep_for(WINDOW);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    load = (machine_busy_seconds() - before) / seconds;
  } while (load > max_cores && Clock::now() < deadline);
  return load;
}

}  // namespace imagesprint::bench
