#include "app/thread_priority.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>

namespace imagesprint {
namespace {

/// The nice value of thread `tid` of this process into `nice`; false when it cannot be read (the
/// thread ended).
bool read_nice(pid_t tid, int& nice) {
  errno = 0;
  nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
  return !(nice == -1 && errno != 0);
}

}  // namespace

int own_nice() {
  int nice = 0;
  return read_nice(::gettid(), nice) ? nice : 0;
}

bool lower_own_priority(int levels) {
  if (levels <= 0) return true;
  int current = 0;
  if (!read_nice(::gettid(), current)) return false;
  // On Linux, setpriority() on a thread id changes that thread only (man 2 setpriority, BUGS).
  return ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()),
                       std::min(LOWEST_PRIORITY, current + levels)) == 0;
}

int lower_threads_to_own_priority(std::string_view name) {
  const int target = own_nice();
  int lowered = 0;
  std::error_code ec;
  // Without exceptions: a listing that fails half-way lowers what it saw (the next call the rest).
  for (std::filesystem::directory_iterator it("/proc/self/task", ec), end; !ec && it != end;
       it.increment(ec)) {
    const auto& entry = *it;
    std::ifstream comm(entry.path() / "comm");
    std::string thread_name;
    if (!std::getline(comm, thread_name) || thread_name != name) continue;
    const auto tid = static_cast<pid_t>(std::stol(entry.path().filename().string()));
    int nice = 0;
    if (!read_nice(tid, nice) || nice >= target) continue;
    // Raising another thread's nice value needs no privilege (lowering it would).
    if (::setpriority(PRIO_PROCESS, static_cast<id_t>(tid), target) == 0) ++lowered;
  }
  return lowered;
}

}  // namespace imagesprint
