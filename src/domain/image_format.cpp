#include "domain/image_format.hpp"

#include <array>

namespace imagesprint {

std::string_view to_string(InputFormat format) {
  switch (format) {
    case InputFormat::jpeg:
      return "jpeg";
    case InputFormat::png:
      return "png";
    case InputFormat::webp:
      return "webp";
    case InputFormat::gif:
      return "gif";
    case InputFormat::tiff:
      return "tiff";
    case InputFormat::bmp:
      return "bmp";
    case InputFormat::avif:
      return "avif";
    case InputFormat::heic:
      return "heic";
  }
  return "unknown";
}

namespace {

/// What we say about each output format, in one place.
struct OutputFormatFacts {
  OutputFormat format;
  std::string_view name;
  std::string_view mime;
  std::string_view extension;
};

constexpr std::array<OutputFormatFacts, 8> OUTPUT_FORMATS{{
    {OutputFormat::original, "original", "application/octet-stream", "bin"},
    {OutputFormat::jpeg, "jpeg", "image/jpeg", "jpg"},
    {OutputFormat::png, "png", "image/png", "png"},
    {OutputFormat::webp, "webp", "image/webp", "webp"},
    {OutputFormat::avif, "avif", "image/avif", "avif"},
    {OutputFormat::gif, "gif", "image/gif", "gif"},
    {OutputFormat::tiff, "tiff", "image/tiff", "tiff"},
    {OutputFormat::bmp, "bmp", "image/bmp", "bmp"},
}};

const OutputFormatFacts& facts(OutputFormat format) {
  for (const auto& f : OUTPUT_FORMATS) {
    if (f.format == format) return f;
  }
  return OUTPUT_FORMATS[0];
}

}  // namespace

std::string_view to_string(OutputFormat format) {
  return facts(format).name;
}

std::optional<OutputFormat> parse_output_format(std::string_view name) {
  for (const auto& f : OUTPUT_FORMATS) {
    if (name == f.name) return f.format;
  }
  if (name == "jpg") return OutputFormat::jpeg;
  if (name == "tif") return OutputFormat::tiff;
  return std::nullopt;
}

OutputFormat output_for(InputFormat input) {
  switch (input) {
    case InputFormat::jpeg:
      return OutputFormat::jpeg;
    case InputFormat::png:
      return OutputFormat::png;
    case InputFormat::webp:
      return OutputFormat::webp;
    case InputFormat::gif:
      return OutputFormat::gif;
    case InputFormat::tiff:
      return OutputFormat::tiff;
    case InputFormat::bmp:
      return OutputFormat::bmp;
    case InputFormat::avif:
      return OutputFormat::avif;
    case InputFormat::heic:
      return OutputFormat::jpeg;
  }
  return OutputFormat::jpeg;
}

std::string_view mime_type(InputFormat format) {
  // Every input but HEIC turns into the output format of the same name.
  return format == InputFormat::heic ? "image/heic" : mime_type(output_for(format));
}

std::string_view mime_type(OutputFormat format) {
  return facts(format).mime;
}

std::string_view extension(OutputFormat format) {
  return facts(format).extension;
}

bool supports_alpha(OutputFormat format) {
  return format != OutputFormat::jpeg && format != OutputFormat::bmp;
}

bool supports_animation(OutputFormat format) {
  return format == OutputFormat::gif || format == OutputFormat::webp;
}

bool is_lossy(OutputFormat format, bool lossless) {
  switch (format) {
    case OutputFormat::jpeg:
      return true;
    case OutputFormat::webp:
    case OutputFormat::avif:
      return !lossless;
    default:
      return false;
  }
}

}  // namespace imagesprint
