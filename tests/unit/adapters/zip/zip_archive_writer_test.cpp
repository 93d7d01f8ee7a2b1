// The ZIP writer, read back with libarchive's reader and checked independently with Python's
// zipfile module (a second, unrelated ZIP implementation).
#include "adapters/zip/zip_archive_writer.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <clocale>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

namespace imagesprint {
namespace {

namespace fs = std::filesystem;

std::vector<std::byte> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::byte> out(n);
  for (auto& b : out) b = static_cast<std::byte>(rng() & 0xFF);
  return out;
}

std::vector<std::byte> build(const std::map<std::string, std::vector<std::byte>>& entries,
                             std::size_t chunk) {
  std::vector<std::byte> zip;
  ZipArchiveWriter writer(
      [&](std::span<const std::byte> b) { zip.insert(zip.end(), b.begin(), b.end()); });
  for (const auto& [name, data] : entries) {
    writer.begin_entry(name, static_cast<std::int64_t>(data.size()), 1'700'000'000);
    for (std::size_t at = 0; at < data.size(); at += chunk) {
      writer.write(std::span(data).subspan(at, std::min(chunk, data.size() - at)));
    }
    writer.end_entry();
  }
  writer.finish();
  return zip;
}

std::map<std::string, std::vector<std::byte>> read_back(const std::vector<std::byte>& zip) {
  std::map<std::string, std::vector<std::byte>> out;
  // libarchive's reader converts names to the process locale: it must be a UTF-8 one.
  std::setlocale(LC_CTYPE, "C.UTF-8");
  archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  EXPECT_EQ(archive_read_open_memory(a, zip.data(), zip.size()), ARCHIVE_OK);
  archive_entry* entry = nullptr;
  // ARCHIVE_WARN: a name the C locale cannot convert; the entry itself is fine.
  for (int status;
       (status = archive_read_next_header(a, &entry)) == ARCHIVE_OK || status == ARCHIVE_WARN;) {
    std::vector<std::byte> data(static_cast<std::size_t>(archive_entry_size(entry)));
    if (!data.empty()) {
      EXPECT_EQ(archive_read_data(a, data.data(), data.size()),
                static_cast<la_ssize_t>(data.size()));
    }
    // Without a UTF-8 locale libarchive may not convert the name; the raw one is UTF-8 already.
    const char* name = archive_entry_pathname_utf8(entry);
    if (name == nullptr) name = archive_entry_pathname(entry);
    out[name ? name : "<unnamed>"] = std::move(data);
  }
  archive_read_free(a);
  return out;
}

const std::map<std::string, std::vector<std::byte>> ENTRIES{
    {"photo.webp", random_bytes(300'000, 1)},
    {"사진-1.jpg", random_bytes(12'345, 2)},
    {"empty.png", {}},
    {"manifest.json", random_bytes(999, 3)},
};

TEST(ZipArchiveWriter, RoundTripsThroughLibarchive) {
  for (std::size_t chunk : {std::size_t{1} << 16, std::size_t{7}}) {
    const auto zip = build(ENTRIES, chunk);
    EXPECT_EQ(read_back(zip), ENTRIES) << "chunk " << chunk;
  }
}

TEST(ZipArchiveWriter, StoresWithoutCompressingAndStreams) {
  std::size_t calls = 0, total = 0;
  ZipArchiveWriter writer([&](std::span<const std::byte> b) {
    ++calls;
    total += b.size();
  });
  const auto big = random_bytes(2'000'000, 4);
  writer.begin_entry("big.bin", static_cast<std::int64_t>(big.size()), 0);
  writer.write(big);
  writer.end_entry();
  writer.finish();
  EXPECT_GT(calls, 1u);                 // bytes leave as they are produced
  EXPECT_GE(total, big.size());         // stored: random data cannot shrink anyway
  EXPECT_LT(total, big.size() + 4096);  // and no padding blocks
}

TEST(ZipArchiveWriter, PythonZipfileAgrees) {
  const auto zip = build(ENTRIES, 4096);
  const fs::path file =
      fs::temp_directory_path() / ("imagesprint-zip-" + std::to_string(::getpid()) + ".zip");
  {
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(zip.data()), static_cast<std::streamsize>(zip.size()));
  }
  const std::string command =
      "python3 -c \"import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is "
      "None; "
      "print(';'.join(f'{i.filename}:{i.file_size}:{i.compress_type}' for i in "
      "sorted(z.infolist(), key=lambda i: i.filename)))\" " +
      file.string();
  std::string listing;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buf[512] = {};
    while (std::fgets(buf, sizeof buf, pipe)) listing += buf;
    ::pclose(pipe);
  }
  fs::remove(file);
  EXPECT_EQ(listing, "empty.png:0:0;manifest.json:999:0;photo.webp:300000:0;사진-1.jpg:12345:0\n");
}

TEST(ZipArchiveWriter, SinkFailureIsAnError) {
  ZipArchiveWriter writer(
      [](std::span<const std::byte>) { throw std::runtime_error("disk full"); });
  const auto data = random_bytes(100'000, 5);
  EXPECT_THROW(
      {
        writer.begin_entry("x.bin", static_cast<std::int64_t>(data.size()), 0);
        writer.write(data);
        writer.end_entry();
        writer.finish();
      },
      std::runtime_error);
}

}  // namespace
}  // namespace imagesprint
