#pragma once
// Multi-page TIFF inputs for tests. libvips writes several pages only when they all have the same
// size (a strip with a page-height), so pages of different sizes are made by writing each one
// with libvips and chaining their directories here, as tiffcp would.
#include <cstdint>
#include <vector>

namespace imagesprint::test {

/// One TIFF whose pages are, in order, the first page of each file. The files must be classic
/// little-endian TIFFs ("II*\0", as libvips writes them) whose directories hold only plain
/// tags and strip or tile offsets (no EXIF or sub-IFD pointers: save them without metadata).
/// Throws std::invalid_argument otherwise.
std::vector<std::uint8_t> join_tiff_pages(const std::vector<std::vector<std::uint8_t>>& files);

}  // namespace imagesprint::test
