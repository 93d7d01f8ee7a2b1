#pragma once
// Internal to the HTTP adapter: a file on disk as a response body (Response::file), read with
// pread on the IO thread.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <utility>

#include "adapters/http/byte_source.hpp"

namespace imagesprint::http::detail {

/// An open POSIX file descriptor, closed when the handle goes (RAII for the file being served).
class FileHandle {
 public:
  explicit FileHandle(int fd = -1) : fd_(fd) {}
  ~FileHandle() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileHandle(FileHandle&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileHandle& operator=(FileHandle&&) = delete;
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_;
};

inline FileHandle open_file(const std::filesystem::path& path, int& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = errno;
    return FileHandle();
  }
  return FileHandle(fd);
}

/// A regular file as a ByteSource: pread at offsets, on the IO thread (a local read of one
/// chunk is short, and the page cache usually has it).
class FileSource final : public ByteSource {
 public:
  FileSource(FileHandle handle, std::uint64_t size, std::string etag)
      : handle_(std::move(handle)), size_(size), etag_(std::move(etag)) {}
  std::uint64_t size() const override { return size_; }
  std::string etag() const override { return etag_; }
  std::size_t read_at(std::uint64_t offset, std::span<std::uint8_t> out) override {
    const auto got = ::pread(handle_.get(), out.data(), out.size(), static_cast<off_t>(offset));
    return got > 0 ? static_cast<std::size_t>(got) : 0;
  }
  bool blocks() const override { return false; }

 private:
  FileHandle handle_;
  std::uint64_t size_;
  std::string etag_;
};

}  // namespace imagesprint::http::detail
