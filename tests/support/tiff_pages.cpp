#include "support/tiff_pages.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

namespace imagesprint::test {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::uint16_t STRIP_OFFSETS = 273;
constexpr std::uint16_t TILE_OFFSETS = 324;
// Tags pointing at further directories, whose offsets this simple joiner does not follow.
constexpr std::array<std::uint16_t, 4> DIRECTORY_POINTERS{330, 34665, 34853, 40965};

[[noreturn]] void refuse(const std::string& why) {
  throw std::invalid_argument("join_tiff_pages: " + why);
}

std::uint32_t get(const Bytes& b, std::size_t at, int size) {
  if (at + size > b.size()) refuse("an offset points past the end of the file");
  std::uint32_t v = 0;
  for (int i = size - 1; i >= 0; --i) v = (v << 8) | b[at + i];
  return v;
}

void put32(Bytes& b, std::size_t at, std::uint32_t v) {
  if (at + 4 > b.size()) refuse("an offset points past the end of the file");
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::size_t type_size(std::uint16_t type) {
  switch (type) {
    case 1:  // BYTE
    case 2:  // ASCII
    case 6:  // SBYTE
    case 7:  // UNDEFINED
      return 1;
    case 3:  // SHORT
    case 8:  // SSHORT
      return 2;
    case 4:   // LONG
    case 9:   // SLONG
    case 11:  // FLOAT
      return 4;
    case 5:   // RATIONAL
    case 10:  // SRATIONAL
    case 12:  // DOUBLE
      return 8;
    default:
      refuse("unsupported field type " + std::to_string(type));
  }
}

struct Appended {
  std::uint32_t directory;  // offset of the page's directory in the joined file
  std::uint32_t next;       // offset of that directory's next-directory pointer
};

/// Appends the whole of `file` to `out` (its header stays, unused), with every offset of its first
/// directory shifted to where the bytes now lie, and that directory made the last one.
Appended append_page(Bytes& out, Bytes file) {
  if (file.size() < 8 || file[0] != 'I' || file[1] != 'I' || get(file, 2, 2) != 42)
    refuse("not a classic little-endian TIFF");
  while (out.size() % 4 != 0) out.push_back(0);  // directories and data start on a word
  const std::uint32_t delta = static_cast<std::uint32_t>(out.size());
  const std::uint32_t directory = get(file, 4, 4);
  const std::uint32_t count = get(file, directory, 2);
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::size_t entry = directory + 2 + 12 * std::size_t{i};
    const auto tag = static_cast<std::uint16_t>(get(file, entry, 2));
    const auto type = static_cast<std::uint16_t>(get(file, entry + 2, 2));
    const std::uint32_t n = get(file, entry + 4, 4);
    if (std::find(DIRECTORY_POINTERS.begin(), DIRECTORY_POINTERS.end(), tag) !=
        DIRECTORY_POINTERS.end()) {
      refuse("tag " + std::to_string(tag) + " points at another directory");
    }
    const std::size_t size = type_size(type) * n;
    const std::uint32_t value = get(file, entry + 8, 4);
    if (tag == STRIP_OFFSETS || tag == TILE_OFFSETS) {
      if (type != 4) refuse("strip or tile offsets that are not LONG");
      const std::size_t at = size <= 4 ? entry + 8 : value;
      for (std::uint32_t k = 0; k < n; ++k)
        put32(file, at + 4 * k, get(file, at + 4 * k, 4) + delta);
    }
    if (size > 4) put32(file, entry + 8, value + delta);  // the values lie elsewhere in the file
  }
  const std::size_t next = directory + 2 + 12 * std::size_t{count};
  put32(file, next, 0);
  out.insert(out.end(), file.begin(), file.end());
  return {delta + directory, static_cast<std::uint32_t>(delta + next)};
}

}  // namespace

std::vector<std::uint8_t> join_tiff_pages(const std::vector<std::vector<std::uint8_t>>& files) {
  if (files.empty()) refuse("no pages");
  Bytes out{'I', 'I', 42, 0, 0, 0, 0, 0};
  std::size_t link = 4;  // where the offset of the next directory goes
  for (const Bytes& file : files) {
    const Appended page = append_page(out, file);
    put32(out, link, page.directory);
    link = page.next;
  }
  return out;
}

}  // namespace imagesprint::test
