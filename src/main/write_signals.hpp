#pragma once
// The two signals a failed write raises, ignored for the whole process, so that the write fails
// with its error number instead and the code that made it reports it (a 503, one failed image):
// - SIGXFSZ: a file grown past RLIMIT_FSIZE (`ulimit -f`, systemd's LimitFSIZE=). Its default
//   action ends the process, so one large upload would have stopped the service; ignored, the
//   write() fails with EFBIG. PostgreSQL ignores it for the same reason.
// - SIGPIPE: a write to a pipe or socket whose reader is gone. Asio and libcurl already avoid it
//   on their sockets; ignoring it covers every other library's socket or pipe too.
// Call once at start, before any thread begins: the disposition is the process's.

namespace imagesprint {

void ignore_write_signals();

}  // namespace imagesprint
