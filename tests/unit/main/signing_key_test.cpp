// signing.key (main/signing_key): readable by its owner only from its first byte. Writing it
// and then chmod-ing it would leave a moment where anyone on the machine could open it, and the
// final mode cannot show that. So this test watches the creation itself: the functions that
// create files (open, openat, fopen, creat and their 64-bit names) are defined here, in the test
// executable, which the dynamic linker searches first; each calls the next definition (the C
// library's, or a sanitizer's) and records the mode of what the call created, read back with
// fstat at once. With the default umask (022), a key created by std::ofstream and chmod-ed after
// is recorded 0644; one created by open(..., 0600) is recorded 0600.
#include "main/signing_key.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "adapters/sodium/sodium_secrets.hpp"

namespace {

std::mutex created_mutex;
std::vector<std::pair<std::string, mode_t>> created;  // path, permission bits at creation

void record(const char* path, int fd) {
  if (fd < 0 || path == nullptr) return;
  if (std::string_view(path).find("signing.key") == std::string_view::npos) return;
  struct stat st {};
  if (::fstat(fd, &st) != 0) return;
  const std::lock_guard lock(created_mutex);
  created.emplace_back(path, st.st_mode & 07777);
}

template <typename F>
F next(const char* name) {
  return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}

mode_t mode_argument(int flags, va_list args) {
  return (flags & (O_CREAT | O_TMPFILE)) != 0 ? static_cast<mode_t>(va_arg(args, int)) : 0;
}

}  // namespace

// The interposed functions (C linkage, the C library's names and signatures).
extern "C" {

int open(const char* path, int flags, ...) {
  va_list args;
  va_start(args, flags);
  const mode_t mode = mode_argument(flags, args);
  va_end(args);
  const int fd = next<int (*)(const char*, int, ...)>("open")(path, flags, mode);
  record(path, fd);
  return fd;
}

int open64(const char* path, int flags, ...) {
  va_list args;
  va_start(args, flags);
  const mode_t mode = mode_argument(flags, args);
  va_end(args);
  const int fd = next<int (*)(const char*, int, ...)>("open64")(path, flags, mode);
  record(path, fd);
  return fd;
}

int openat(int dir, const char* path, int flags, ...) {
  va_list args;
  va_start(args, flags);
  const mode_t mode = mode_argument(flags, args);
  va_end(args);
  const int fd = next<int (*)(int, const char*, int, ...)>("openat")(dir, path, flags, mode);
  record(path, fd);
  return fd;
}

int openat64(int dir, const char* path, int flags, ...) {
  va_list args;
  va_start(args, flags);
  const mode_t mode = mode_argument(flags, args);
  va_end(args);
  const int fd = next<int (*)(int, const char*, int, ...)>("openat64")(dir, path, flags, mode);
  record(path, fd);
  return fd;
}

int creat(const char* path, mode_t mode) {
  const int fd = next<int (*)(const char*, mode_t)>("creat")(path, mode);
  record(path, fd);
  return fd;
}

int creat64(const char* path, mode_t mode) {
  const int fd = next<int (*)(const char*, mode_t)>("creat64")(path, mode);
  record(path, fd);
  return fd;
}

FILE* fopen(const char* path, const char* how) {
  FILE* file = next<FILE* (*)(const char*, const char*)>("fopen")(path, how);
  if (file) record(path, ::fileno(file));
  return file;
}

FILE* fopen64(const char* path, const char* how) {
  FILE* file = next<FILE* (*)(const char*, const char*)>("fopen64")(path, how);
  if (file) record(path, ::fileno(file));
  return file;
}

}  // extern "C"

namespace imagesprint {
namespace {

namespace fs = std::filesystem;

class SigningKey : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("signing-key-" + std::to_string(::getpid()));
    fs::create_directories(folder_);
    old_umask_ = ::umask(022);  // the usual default: files open to everyone unless told
    const std::lock_guard lock(created_mutex);
    created.clear();
  }
  void TearDown() override {
    ::umask(old_umask_);
    fs::remove_all(folder_);
  }
  std::vector<std::pair<std::string, mode_t>> recorded() {
    const std::lock_guard lock(created_mutex);
    return created;
  }

  fs::path folder_;
  mode_t old_umask_ = 0;
  SodiumSecrets secrets_;
};

TEST_F(SigningKey, IsOwnerOnlyFromTheMomentItIsCreated) {
  const fs::path file = folder_ / "signing.key";
  const std::string key = load_or_create_signing_key(file, secrets_);
  EXPECT_GE(key.size(), 32u);
  const auto seen = recorded();
  ASSERT_FALSE(seen.empty()) << "no creation of the key was seen: is the interposition broken?";
  for (const auto& [path, mode] : seen) {
    EXPECT_EQ(mode & 077, 0u) << path << " was created with mode " << std::oct << mode;
  }
  EXPECT_EQ(fs::status(file).permissions() & fs::perms::mask,
            fs::perms::owner_read | fs::perms::owner_write);
  // Made once, then read back: download links signed before a restart stay valid.
  EXPECT_EQ(load_or_create_signing_key(file, secrets_), key);
}

TEST_F(SigningKey, TheWatchSeesAFileOpenToOthers) {
  // The same watch on a file created the ordinary way: recorded open to others, so the test
  // above would catch a key created like it.
  {
    std::FILE* f = std::fopen((folder_ / "signing.key.plain").c_str(), "wb");
    std::fclose(f);
  }
  const auto seen = recorded();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].second, 0644u);
}

}  // namespace
}  // namespace imagesprint
