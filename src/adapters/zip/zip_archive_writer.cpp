#include "adapters/zip/zip_archive_writer.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <stdexcept>
#include <string>

namespace imagesprint {
namespace {

struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

la_ssize_t on_write(archive* a, void* client, const void* buffer, size_t length) {
  auto* sink = static_cast<ArchiveSink*>(client);
  try {
    (*sink)({static_cast<const std::byte*>(buffer), length});
  } catch (const std::exception& e) {
    archive_set_error(a, EIO, "sink failed: %s", e.what());
    return -1;
  }
  return static_cast<la_ssize_t>(length);
}

}  // namespace

void ZipArchiveWriter::ArchiveDeleter::operator()(archive* a) const {
  archive_write_free(a);
}

ZipArchiveWriter::ZipArchiveWriter(ArchiveSink sink)
    : sink_(std::move(sink)), archive_(archive_write_new()) {
  if (!archive_) throw std::bad_alloc();
  check(archive_write_set_format_zip(archive_.get()), "zip format");
  check(
      archive_write_set_options(archive_.get(), "zip:compression=store,zip:zip64,hdrcharset=UTF-8"),
      "zip options");
  // No padding to 10 KiB blocks: this is a stream, not a tape.
  check(archive_write_set_bytes_per_block(archive_.get(), 0), "block size");
  check(archive_write_open(archive_.get(), &sink_, nullptr, &on_write, nullptr), "open");
}

ZipArchiveWriter::~ZipArchiveWriter() = default;

void ZipArchiveWriter::check(int status, const char* what) {
  if (status < ARCHIVE_WARN) {
    const char* message = archive_error_string(archive_.get());
    throw std::runtime_error(std::string("zip: ") + what + ": " + (message ? message : "failed"));
  }
}

void ZipArchiveWriter::begin_entry(const std::string& name, std::int64_t size, std::int64_t mtime) {
  const std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
  archive_entry_set_pathname_utf8(entry.get(), name.c_str());
  archive_entry_set_size(entry.get(), size);
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0644);
  archive_entry_set_mtime(entry.get(), mtime, 0);
  check(archive_write_header(archive_.get(), entry.get()), "entry header");
}

void ZipArchiveWriter::write(std::span<const std::byte> bytes) {
  while (!bytes.empty()) {
    const la_ssize_t n = archive_write_data(archive_.get(), bytes.data(), bytes.size());
    if (n < 0) check(static_cast<int>(n), "entry data");
    if (n == 0)
      throw std::runtime_error(
          "zip: entry data: nothing written (more bytes than the declared size?)");
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
}

void ZipArchiveWriter::end_entry() {
  check(archive_write_finish_entry(archive_.get()), "entry end");
}

void ZipArchiveWriter::finish() {
  if (finished_) return;
  finished_ = true;
  check(archive_write_close(archive_.get()), "close");
}

}  // namespace imagesprint
