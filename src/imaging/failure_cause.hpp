#pragma once
// Why a libvips call failed, decided without trusting libvips' error text.
//
// libvips keeps one error buffer for the whole process, not one per thread (libvips#5010). With
// several conversions at once, a thread that fails can find its own message already cleared by
// another thread, or find another image's message in its place: a truncated JPEG was reported
// as "vipspng: libpng read error", a truncated PNG as an internal error with no reason. So the
// cause is decided by decoding the input again on its own (only after a failure), and the text
// is shown only when it comes from this input's decoder.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "domain/error.hpp"
#include "imaging/loaders.hpp"

namespace imagesprint {

/// Decodes `bytes` as `params` say and pulls every pixel. Returns the decoder's complaint (its
/// own line of the error text, possibly empty) when the data does not decode, nothing when it
/// does.
std::optional<std::string> decode_failure(InputFormat format, std::span<const std::uint8_t> bytes,
                                          const LoadParams& params);

/// The last line of a libvips error text that comes from `format`'s decoder, or "".
std::string decoder_line(std::string_view text, InputFormat format);

/// corrupt_image with the decoder's line when there is one.
Error damaged_input(std::string_view decoder_says);

/// Empties the process-wide error buffer. Called only by a thread that has just failed and
/// taken what it needs, never after a success: that would erase a failing neighbour's message.
void clear_library_errors();

}  // namespace imagesprint
