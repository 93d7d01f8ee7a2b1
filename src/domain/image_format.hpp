#pragma once
// Image formats: what we accept as input and what we can write.
#include <optional>
#include <string_view>

namespace imagesprint {

/// Input formats, detected from magic bytes (never from the file name).
enum class InputFormat { jpeg, png, webp, gif, tiff, bmp, avif, heic };

/// Output formats. `original` means "the input's format" and is resolved per image.
enum class OutputFormat { original, jpeg, png, webp, avif, gif, tiff, bmp };

std::string_view to_string(InputFormat format);
std::string_view to_string(OutputFormat format);
std::optional<OutputFormat> parse_output_format(std::string_view name);

/// The output format an input turns into under `original`. HEIC has no encoder here (the HEVC
/// encoder is patent-encumbered and not in the prebuilt libvips), so it becomes JPEG.
OutputFormat output_for(InputFormat input);

std::string_view mime_type(OutputFormat format);
std::string_view mime_type(InputFormat format);
/// File name extension without the dot ("jpg", "png" ...).
std::string_view extension(OutputFormat format);

/// Whether the encoder keeps an alpha channel (otherwise the image is flattened on `background`).
bool supports_alpha(OutputFormat format);
/// Whether the encoder writes several frames (animated GIF/WebP keep all frames then).
bool supports_animation(OutputFormat format);
/// Whether `quality` steers a lossy encoder (and so `max_bytes` can search it).
bool is_lossy(OutputFormat format, bool lossless);

}  // namespace imagesprint
