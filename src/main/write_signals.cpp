#include "main/write_signals.hpp"

#include <signal.h>

namespace imagesprint {

void ignore_write_signals() {
  ::signal(SIGXFSZ, SIG_IGN);
  ::signal(SIGPIPE, SIG_IGN);
}

}  // namespace imagesprint
