#pragma once
// Scheduling priority of the service's own threads (Linux nice values, which belong to each
// thread and are inherited by the threads it creates). Image conversion runs below the HTTP IO
// threads, so that a conversion never keeps the threads that write live events (SSE) waiting for
// a CPU; see README "Threads and priorities".
#include <string_view>

namespace imagesprint {

/// The highest nice value (the lowest priority) Linux has.
inline constexpr int LOWEST_PRIORITY = 19;

/// The calling thread's nice value.
int own_nice();

/// Lowers the calling thread's priority by `levels` nice levels (capped at LOWEST_PRIORITY); 0
/// leaves it. Returns false when the system refused (the thread runs on at its priority).
bool lower_own_priority(int levels);

/// Lowers every thread of this process named `name` that runs above the calling thread's
/// priority to it; returns how many it lowered. For a library's own thread pool shared by all its
/// callers (libvips keeps idle threads up to 15 s and hands them to whoever asks next), whose
/// threads carry the priority of whichever thread happened to start them.
int lower_threads_to_own_priority(std::string_view name);

}  // namespace imagesprint
