#pragma once
// Detects an input's real type from its magic bytes. The file name is never consulted.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "domain/image_format.hpp"

namespace imagesprint {

std::optional<InputFormat> sniff_format(std::span<const std::uint8_t> bytes);

/// Whether an ISO BMFF (HEIF/AVIF) file's "ftyp" brands declare an image sequence, that is an
/// animation ("avis", "msf1", "hevc" ...), rather than still images ("avif", "heic", "mif1").
bool is_image_sequence(std::span<const std::uint8_t> bytes);

/// A short human name for something we refuse ("an empty file", "SVG", "PDF", "text" ...), for
/// error messages.
std::string describe_unaccepted(std::span<const std::uint8_t> bytes);

}  // namespace imagesprint
