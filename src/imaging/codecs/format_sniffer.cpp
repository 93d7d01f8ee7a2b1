#include "imaging/codecs/format_sniffer.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

namespace imagesprint {
namespace {

bool starts_with(std::span<const std::uint8_t> b, std::string_view magic, std::size_t at = 0) {
  return b.size() >= at + magic.size() &&
         std::memcmp(b.data() + at, magic.data(), magic.size()) == 0;
}

std::uint32_t be32(std::span<const std::uint8_t> b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) |
         (std::uint32_t{b[at + 2]} << 8) | std::uint32_t{b[at + 3]};
}

std::uint32_t le32(std::span<const std::uint8_t> b, std::size_t at) {
  return std::uint32_t{b[at]} | (std::uint32_t{b[at + 1]} << 8) | (std::uint32_t{b[at + 2]} << 16) |
         (std::uint32_t{b[at + 3]} << 24);
}

/// Calls `fn` with each brand of an ISO BMFF "ftyp" box (major, then compatible); false when
/// the bytes do not start with one.
template <typename Fn>
bool for_each_brand(std::span<const std::uint8_t> b, Fn fn) {
  if (b.size() < 16 || !starts_with(b, "ftyp", 4)) return false;
  const std::size_t box = std::min<std::size_t>(be32(b, 0), b.size());
  if (box < 16) return false;
  const auto brand = [&](std::size_t at) {
    fn(std::string_view(reinterpret_cast<const char*>(b.data() + at), 4));
  };
  brand(8);
  for (std::size_t at = 16; at + 4 <= box; at += 4) brand(at);
  return true;
}

/// ISO BMFF ("ftyp" box): AVIF or HEIC by major and compatible brands.
std::optional<InputFormat> sniff_heif(std::span<const std::uint8_t> b) {
  bool avif = false, heic = false, mif1 = false;
  const bool bmff = for_each_brand(b, [&](std::string_view name) {
    if (name == "avif" || name == "avis") avif = true;
    static constexpr std::array<std::string_view, 8> hevc{"heic", "heix", "hevc", "hevx",
                                                          "heim", "heis", "hevm", "hevs"};
    if (std::find(hevc.begin(), hevc.end(), name) != hevc.end()) heic = true;
    if (name == "mif1" || name == "msf1") mif1 = true;
  });
  if (!bmff) return std::nullopt;
  if (avif) return InputFormat::avif;
  if (heic || mif1) return InputFormat::heic;
  return std::nullopt;
}

bool plausible_bmp(std::span<const std::uint8_t> b) {
  if (b.size() < 26 || !starts_with(b, "BM")) return false;
  const std::uint32_t dib = le32(b, 14);
  return dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124;
}

}  // namespace

std::optional<InputFormat> sniff_format(std::span<const std::uint8_t> b) {
  if (starts_with(b, "\xFF\xD8\xFF")) return InputFormat::jpeg;
  if (starts_with(b, "\x89PNG\r\n\x1A\n")) return InputFormat::png;
  if (starts_with(b, "GIF87a") || starts_with(b, "GIF89a")) return InputFormat::gif;
  if (starts_with(b, "RIFF") && starts_with(b, "WEBP", 8)) return InputFormat::webp;
  if (starts_with(b, std::string_view("II*\0", 4)) ||
      starts_with(b, std::string_view("MM\0*", 4)) ||
      starts_with(b, std::string_view("II+\0", 4)) ||
      starts_with(b, std::string_view("MM\0+", 4))) {
    return InputFormat::tiff;
  }
  if (plausible_bmp(b)) return InputFormat::bmp;
  return sniff_heif(b);
}

bool is_image_sequence(std::span<const std::uint8_t> b) {
  bool sequence = false;
  for_each_brand(b, [&](std::string_view name) {
    // ISO/IEC 23008-12 and the AVIF specification: these brands are the sequence ones.
    static constexpr std::array<std::string_view, 6> SEQUENCES{"avis", "msf1", "hevc",
                                                               "hevx", "hevm", "hevs"};
    if (std::find(SEQUENCES.begin(), SEQUENCES.end(), name) != SEQUENCES.end()) sequence = true;
  });
  return sequence;
}

std::string describe_unaccepted(std::span<const std::uint8_t> b) {
  if (b.empty()) return "an empty file";
  std::string_view head(reinterpret_cast<const char*>(b.data()),
                        std::min<std::size_t>(b.size(), 512));
  if (starts_with(b, "%PDF")) return "PDF";
  if (head.find("<svg") != std::string_view::npos) return "SVG";
  if (starts_with(b, "\xFF\xD8")) return "a JPEG with a broken header";
  if (starts_with(b, "\x89PNG")) return "a PNG with a broken header";
  if (starts_with(b, "8BPS")) return "a Photoshop document";
  if (starts_with(b, "\xFF\x0A") || starts_with(b, std::string_view("\0\0\0\x0CJXL ", 8)))
    return "JPEG XL";
  const bool text = std::all_of(head.begin(), head.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 || u == '\n' || u == '\r' || u == '\t' || u >= 0x80;
  });
  return text ? "text" : "an unknown binary format";
}

}  // namespace imagesprint
