#include "imaging/failure_cause.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace imagesprint {
namespace {

/// What each decoder writes at the start of its messages (libvips' loader class names and the
/// libraries' own prefixes), lower case.
std::span<const std::string_view> decoder_marks(InputFormat format) {
  static constexpr std::array<std::string_view, 2> JPEG{"jpeg", "jpg"};
  static constexpr std::array<std::string_view, 1> PNG{"png"};
  static constexpr std::array<std::string_view, 1> WEBP{"webp"};
  static constexpr std::array<std::string_view, 1> GIF{"gif"};
  static constexpr std::array<std::string_view, 2> TIFF{"tiff", "tif"};
  static constexpr std::array<std::string_view, 2> HEIF{"heif", "avif"};
  switch (format) {
    case InputFormat::jpeg:
      return JPEG;
    case InputFormat::png:
      return PNG;
    case InputFormat::webp:
      return WEBP;
    case InputFormat::gif:
      return GIF;
    case InputFormat::tiff:
      return TIFF;
    case InputFormat::avif:
    case InputFormat::heic:
      return HEIF;
    case InputFormat::bmp:
      break;
  }
  return {};
}

std::string lower(std::string_view text) {
  std::string s(text);
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trimmed(std::string_view line) {
  std::string s(line.substr(0, 200));
  while (!s.empty() && (s.back() == ' ' || s.back() == '.' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

std::optional<std::string> decode_failure(InputFormat format, std::span<const std::uint8_t> bytes,
                                          const LoadParams& params) {
  try {
    vips::VImage image = load_image(format, bytes, params);
    (void)image.avg();  // pulls every pixel, a strip at a time
    return std::nullopt;
  } catch (const vips::VError& e) {
    return decoder_line(e.what(), format);
  }
}

std::string decoder_line(std::string_view text, InputFormat format) {
  const auto marks = decoder_marks(format);
  std::string found;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, end);
    const std::string low = lower(line);
    if (std::any_of(marks.begin(), marks.end(),
                    [&](std::string_view m) { return low.find(m) != std::string::npos; })) {
      found = trimmed(line);
    }
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return found;
}

Error damaged_input(std::string_view decoder_says) {
  std::string message = "the image data is damaged or truncated";
  if (!decoder_says.empty()) message += ": " + std::string(decoder_says);
  return Error{ErrorCode::corrupt_image, std::move(message), {}, std::string(decoder_says), false};
}

void clear_library_errors() {
  vips_error_clear();
}

}  // namespace imagesprint
