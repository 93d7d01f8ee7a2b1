#pragma once
// Port: writes an archive of named entries as a stream (the job's "download all" ZIP). The bytes
// go to a sink as they are produced, so an archive of any size needs no temporary copy.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>

namespace imagesprint {

/// Receives the archive's bytes in order. Throws to abort the archive.
using ArchiveSink = std::function<void(std::span<const std::byte>)>;

class ArchiveWriter {
 public:
  virtual ~ArchiveWriter() = default;
  /// Starts an entry. `name` is UTF-8 and already safe (no folders, no "..").
  /// `size` must be the exact number of bytes that write() will be given for it.
  virtual void begin_entry(const std::string& name, std::int64_t size,
                           std::int64_t mtime_unix_seconds) = 0;
  virtual void write(std::span<const std::byte> bytes) = 0;
  virtual void end_entry() = 0;
  /// Writes the central directory. No call is allowed afterwards.
  virtual void finish() = 0;
};

}  // namespace imagesprint
