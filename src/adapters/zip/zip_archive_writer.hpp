#pragma once
// ArchiveWriter as ZIP through libarchive's streaming writer: zip64 on (archives and entries over
// 4 GB), entries stored uncompressed (images are compressed already: deflate would burn CPU for
// a percent or two), UTF-8 names flagged as such.
#include <memory>

#include "ports/archive_writer.hpp"

struct archive;

namespace imagesprint {

class ZipArchiveWriter final : public ArchiveWriter {
 public:
  explicit ZipArchiveWriter(ArchiveSink sink);
  ~ZipArchiveWriter() override;
  ZipArchiveWriter(const ZipArchiveWriter&) = delete;
  ZipArchiveWriter& operator=(const ZipArchiveWriter&) = delete;

  void begin_entry(const std::string& name, std::int64_t size,
                   std::int64_t mtime_unix_seconds) override;
  void write(std::span<const std::byte> bytes) override;
  void end_entry() override;
  void finish() override;

 private:
  struct ArchiveDeleter {
    void operator()(archive* a) const;
  };
  void check(int status, const char* what);

  ArchiveSink sink_;
  std::unique_ptr<archive, ArchiveDeleter> archive_;
  bool finished_ = false;
};

}  // namespace imagesprint
