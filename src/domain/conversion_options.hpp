#pragma once
// ConversionOptions: what the user asked for, validated once at the edge (options_json.cpp builds
// it from JSON; the CLI builds that JSON from flags). The engine only ever sees this typed value.
#include <cstdint>
#include <optional>
#include <string>

#include "domain/image_format.hpp"

namespace imagesprint {

/// How width and height combine. With one of them only, the other follows the aspect ratio.
enum class Fit {
  contain,  // keep ratio, fit inside the box: the result may be smaller on one side (default;
            // the seed's keepRatio=true)
  inside,   // the same as contain (sharp's name for it)
  fill,     // exactly width x height, ratio ignored (the seed's keepRatio=false)
  cover,    // keep ratio, fill the box, crop what overflows (see Gravity)
  outside,  // keep ratio, cover the box: the result may be larger on one side, nothing cropped
};

/// Which part of the image `cover` keeps.
enum class Gravity {
  centre,
  north,
  northeast,
  east,
  southeast,
  south,
  southwest,
  west,
  northwest,
  attention,  // smart crop: the region with the most skin, saturation and edges
  entropy,    // smart crop: the region with the most detail
};

/// The seed's 9-grid of watermark positions.
enum class Position {
  top_left,
  top_center,
  top_right,
  middle_left,
  center,
  middle_right,
  bottom_left,
  bottom_center,
  bottom_right,
};

enum class MetadataPolicy {
  strip,      // drop everything; pixels are converted to sRGB first, so colour is kept (default)
  keep,       // keep EXIF, XMP, IPTC and the ICC profile (orientation is reset after rotating)
  copyright,  // keep the ICC profile and EXIF Copyright/Artist; drop GPS, camera data and the rest
};

enum class WatermarkKind { none, text, image };

struct Rgba {
  std::uint8_t r = 255, g = 255, b = 255, a = 255;
  bool operator==(const Rgba&) const = default;
};

struct WatermarkOptions {
  WatermarkKind kind = WatermarkKind::none;
  std::string text;  // UTF-8, for kind == text (Hangul renders)
  Position position = Position::bottom_right;
  double opacity = 0.5;            // 0 (invisible) to 1 (opaque)
  double size = 0.25;              // watermark width as a fraction of the output width, (0, 1]
  Rgba color{255, 255, 255, 255};  // text colour, "#rrggbb" or "#rrggbbaa"
  double margin = 0.02;  // gap to the edges, fraction of the output's shorter side, [0, 0.25]
  bool tile = false;     // image watermark only: repeat it over the whole image
  bool operator==(const WatermarkOptions&) const = default;
};

struct ConversionOptions {
  // Input. Which page of a multi-page input is converted: 0-based, 0 to MAX_PAGE; past the
  // input's last page it is refused (field "page"). Absent: a document's (TIFF) first page, a
  // collection's (HEIF/AVIF with several still images) primary image, and every frame of an
  // animation (GIF, WebP, AVIF sequence), or its first frame when the output cannot animate.
  // Given for an animation, that one frame is converted, as a still image.
  std::optional<int> page;

  // Resize. Units: pixels of the output (after auto-orientation).
  std::optional<int> width;   // 1 to MAX_DIMENSION
  std::optional<int> height;  // 1 to MAX_DIMENSION
  Fit fit = Fit::contain;
  Gravity gravity = Gravity::centre;
  bool enlarge = false;  // allow upscaling beyond the input size

  // Output.
  OutputFormat format = OutputFormat::original;
  int quality = DEFAULT_QUALITY;  // 1 to 100, mapped per format (see imaging/encode)
  bool lossless = false;          // WebP and AVIF
  bool progressive = false;       // progressive JPEG, interlaced PNG/GIF
  bool palette = false;           // PNG: quantise to an 8-bit palette (smaller, lossy)
  std::optional<int> effort;      // CPU effort: WebP 0-6 (default 4), AVIF 0-9 (default 2),
                                  // PNG 1-10, GIF 1-10
  std::optional<std::int64_t>
      max_bytes;  // target output size in bytes; quality, then scale, are searched
  MetadataPolicy metadata = MetadataPolicy::strip;
  Rgba background{255, 255, 255, 255};  // flattening colour when the output has no alpha

  WatermarkOptions watermark;

  double timeout_seconds = DEFAULT_TIMEOUT_SECONDS;  // per-image time budget, (0, 300]

  // Delivery. Whether a job's ZIP holds manifest.json (sizes, dimensions, BlurHash of every
  // image); the engine and `convert` ignore it. Default true (the web app sends false).
  bool manifest = true;

  static constexpr int DEFAULT_QUALITY = 80;
  static constexpr double DEFAULT_TIMEOUT_SECONDS = 30.0;
  static constexpr int MAX_DIMENSION = 16384;
  static constexpr std::int64_t MIN_MAX_BYTES = 256;
  static constexpr int MAX_PAGE = 65535;

  bool operator==(const ConversionOptions&) const = default;
};

std::string_view to_string(Fit fit);
std::string_view to_string(Gravity gravity);
std::string_view to_string(Position position);
std::string_view to_string(MetadataPolicy policy);
std::string_view to_string(WatermarkKind kind);
std::string to_hex(Rgba color);

}  // namespace imagesprint
