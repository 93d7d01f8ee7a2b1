// Fuzzes the magic-byte sniffer (src/imaging/codecs/format_sniffer.*) that decides which decoder
// sees an upload: sniff_format and describe_unaccepted on any bytes, and a format only for bytes
// that carry its signature.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "fuzz_support.hpp"
#include "imaging/codecs/format_sniffer.hpp"

namespace {

bool starts_with(std::span<const std::uint8_t> bytes, std::string_view magic, std::size_t at = 0) {
  return bytes.size() >= at + magic.size() &&
         std::memcmp(bytes.data() + at, magic.data(), magic.size()) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using imagesprint::InputFormat;
  const std::span<const std::uint8_t> bytes(data, size);
  const auto format = imagesprint::sniff_format(bytes);
  if (!format) {
    FUZZ_CHECK(!imagesprint::describe_unaccepted(bytes).empty());
    return 0;
  }
  switch (*format) {
    case InputFormat::jpeg:
      FUZZ_CHECK(starts_with(bytes, "\xFF\xD8\xFF"));
      break;
    case InputFormat::png:
      FUZZ_CHECK(starts_with(bytes, "\x89PNG\r\n\x1A\n"));
      break;
    case InputFormat::gif:
      FUZZ_CHECK(starts_with(bytes, "GIF8"));
      break;
    case InputFormat::webp:
      FUZZ_CHECK(starts_with(bytes, "RIFF") && starts_with(bytes, "WEBP", 8));
      break;
    case InputFormat::tiff:
      FUZZ_CHECK(starts_with(bytes, "II") || starts_with(bytes, "MM"));
      break;
    case InputFormat::bmp:
      FUZZ_CHECK(starts_with(bytes, "BM") && size >= 26);
      break;
    case InputFormat::avif:
    case InputFormat::heic:
      FUZZ_CHECK(starts_with(bytes, "ftyp", 4));
      break;
  }
  // Uploads are sniffed on their first 64 bytes (app/job_upload.cpp), the engine sniffs the whole
  // file: for the fixed signatures both must agree. (ISO BMFF brands may sit further in a long
  // ftyp box; both readings are HEIF then, decoded by libheif either way.)
  if (size > 64 && *format != InputFormat::avif && *format != InputFormat::heic) {
    FUZZ_CHECK(imagesprint::sniff_format(bytes.first(64)) == format);
  }
  return 0;
}
