// jemalloc's settings for this binary, read by jemalloc when it starts (before main); the
// MALLOC_CONF environment variable still overrides them. Compiled only when jemalloc is linked
// (IMAGESPRINT_JEMALLOC).
//
// narenas:1: one arena for every thread. jemalloc's default, four arenas per CPU, gives each
// libvips and worker thread an arena of its own, and each arena keeps the large buffers its
// images freed until they decay (10 s). Measured with `imagesprint convert -j 2` on 2 cores, four
// interleaved runs each: T1 (160 x the 2725x2225 JPEG to 720x588) peaked at 176-198 MiB with the
// default and 83 MiB with one arena; T2 (24 photos to 1280 px WebP) 237 against 176 MiB; wall
// and CPU time the same within run-to-run noise. Small allocations are served from per-thread
// caches, so one arena costs no contention we could measure here.
extern "C" {
// The name and type jemalloc looks for.
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables)
const char* malloc_conf = "narenas:1";
}
