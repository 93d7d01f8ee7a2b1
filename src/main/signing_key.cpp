#include "main/signing_key.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace imagesprint {

namespace fs = std::filesystem;

std::string load_or_create_signing_key(const fs::path& file, const Secrets& secrets) {
  if (fs::exists(file)) {
    std::ifstream in(file, std::ios::binary);
    std::string key((std::istreambuf_iterator<char>(in)), {});
    if (key.size() >= 32) return key;
  }
  const std::string key = secrets.random_token(48);
  const fs::path temp = file.string() + ".tmp";
  // Created owner-only from the first byte (a chmod after writing leaves a window where others
  // may open it).
  ::unlink(temp.c_str());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + temp.string());
  const bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) throw std::runtime_error("cannot write " + temp.string());
  fs::rename(temp, file);
  return key;
}

}  // namespace imagesprint
