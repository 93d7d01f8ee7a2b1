#include "domain/image_format.hpp"

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

std::string_view to_string(OutputFormat format) {
  switch (format) {
    case OutputFormat::original:
      return "original";
    case OutputFormat::jpeg:
      return "jpeg";
    case OutputFormat::png:
      return "png";
    case OutputFormat::webp:
      return "webp";
    case OutputFormat::avif:
      return "avif";
    case OutputFormat::gif:
      return "gif";
    case OutputFormat::tiff:
      return "tiff";
    case OutputFormat::bmp:
      return "bmp";
  }
  return "original";
}

std::optional<OutputFormat> parse_output_format(std::string_view name) {
  for (auto f : {OutputFormat::original, OutputFormat::jpeg, OutputFormat::png, OutputFormat::webp,
                 OutputFormat::avif, OutputFormat::gif, OutputFormat::tiff, OutputFormat::bmp}) {
    if (name == to_string(f)) return f;
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
  switch (format) {
    case InputFormat::heic:
      return "image/heic";
    case InputFormat::jpeg:
      return mime_type(OutputFormat::jpeg);
    case InputFormat::png:
      return mime_type(OutputFormat::png);
    case InputFormat::webp:
      return mime_type(OutputFormat::webp);
    case InputFormat::gif:
      return mime_type(OutputFormat::gif);
    case InputFormat::tiff:
      return mime_type(OutputFormat::tiff);
    case InputFormat::bmp:
      return mime_type(OutputFormat::bmp);
    case InputFormat::avif:
      return mime_type(OutputFormat::avif);
  }
  return "application/octet-stream";
}

std::string_view mime_type(OutputFormat format) {
  switch (format) {
    case OutputFormat::jpeg:
      return "image/jpeg";
    case OutputFormat::png:
      return "image/png";
    case OutputFormat::webp:
      return "image/webp";
    case OutputFormat::avif:
      return "image/avif";
    case OutputFormat::gif:
      return "image/gif";
    case OutputFormat::tiff:
      return "image/tiff";
    case OutputFormat::bmp:
      return "image/bmp";
    case OutputFormat::original:
      break;
  }
  return "application/octet-stream";
}

std::string_view extension(OutputFormat format) {
  switch (format) {
    case OutputFormat::jpeg:
      return "jpg";
    case OutputFormat::png:
      return "png";
    case OutputFormat::webp:
      return "webp";
    case OutputFormat::avif:
      return "avif";
    case OutputFormat::gif:
      return "gif";
    case OutputFormat::tiff:
      return "tiff";
    case OutputFormat::bmp:
      return "bmp";
    case OutputFormat::original:
      break;
  }
  return "bin";
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
