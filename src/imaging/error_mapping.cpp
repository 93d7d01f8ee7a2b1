#include <vips/vips8>

#include <algorithm>
#include <array>
#include <new>
#include <string_view>

#include "imaging/codecs/codec_error.hpp"
#include "imaging/imaging_error.hpp"

namespace imagesprint {
namespace {

/// The first line of a libvips message, trimmed: enough to say why, short enough to show.
std::string first_line(std::string_view message) {
  message = message.substr(0, message.find('\n'));
  std::string s(message.substr(0, 200));
  while (!s.empty() && (s.back() == ' ' || s.back() == '.')) s.pop_back();
  return s;
}

/// libvips decodes lazily, so a damaged file often fails only when the encoder pulls pixels:
/// the loader's name in the message tells a decode failure from anything else.
bool is_decode_failure(std::string_view message) {
  static constexpr std::array<std::string_view, 12> MARKERS{
      "load", "VipsJpeg", "VipsPng",       "spng",      "gif",     "webp",
      "heif", "tiff",     "Premature end", "truncated", "Corrupt", "not a known"};
  return std::any_of(MARKERS.begin(), MARKERS.end(),
                     [&](std::string_view m) { return message.find(m) != std::string_view::npos; });
}

}  // namespace

Error to_error(std::exception_ptr failure, bool timed_out) {
  try {
    std::rethrow_exception(failure);
  } catch (const ImagingError& e) {
    return Error{e.code(), e.what(), e.field(), {}, false};
  } catch (const vips::VError& e) {
    const std::string detail = e.what();
    if (timed_out) {
      return Error{ErrorCode::timeout, "conversion took longer than the time budget",
                   "timeout_seconds", detail, false};
    }
    if (is_decode_failure(detail)) {
      return Error{ErrorCode::corrupt_image,
                   "the image data is damaged or truncated: " + first_line(detail),
                   {},
                   detail,
                   false};
    }
    return Error{
        ErrorCode::internal, "image processing failed: " + first_line(detail), {}, detail, false};
  } catch (const CodecError& e) {
    return Error{ErrorCode::corrupt_image,
                 std::string("the image data is damaged or truncated: ") + e.what(),
                 {},
                 e.what(),
                 false};
  } catch (const std::bad_alloc&) {
    return Error{ErrorCode::internal, "out of memory while converting", {}, "std::bad_alloc", true};
  } catch (const std::exception& e) {
    return Error{ErrorCode::internal, "image processing failed", {}, e.what(), true};
  } catch (...) {
    return Error{ErrorCode::internal, "image processing failed", {}, "unknown exception", true};
  }
}

}  // namespace imagesprint
