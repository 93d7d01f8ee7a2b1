#pragma once
// The conversion engine's public face: bytes and typed options in, an encoded image or an Error
// out. Nothing here mentions libvips; callers (CLI, worker, preview endpoint) link this and stay
// free of imaging details.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/conversion_options.hpp"
#include "domain/expected.hpp"
#include "domain/image_format.hpp"

namespace imagesprint {

/// Limits checked before heavy work.
struct EngineLimits {
  std::uint64_t max_input_pixels =
      DEFAULT_MAX_INPUT_PIXELS;  // width x height (x frames), from the header
  std::uint64_t max_input_bytes = DEFAULT_MAX_INPUT_BYTES;  // bytes of one input file
  // Progressive JPEGs are decoded whole (libjpeg keeps every DCT coefficient: ~3 bytes a pixel
  // at 4:2:0, measured 112 MB peak for four 20-megapixel ones against 62 MB as baseline JPEGs),
  // so they get their own, lower pixel limit and decode one at a time (see imaging/interlace_gate).
  std::uint64_t max_interlaced_pixels = DEFAULT_MAX_INTERLACED_PIXELS;
  // Pixels of the output (all frames): a tiny input enlarged to 16384x16384 would cost gigabytes
  // however small its file. Checked from the header and the options before decoding.
  std::uint64_t max_output_pixels = DEFAULT_MAX_OUTPUT_PIXELS;

  static constexpr std::uint64_t DEFAULT_MAX_INPUT_PIXELS = 100'000'000;
  static constexpr std::uint64_t DEFAULT_MAX_INPUT_BYTES = 20ull * 1024 * 1024;
  static constexpr std::uint64_t DEFAULT_MAX_INTERLACED_PIXELS = 50'000'000;
  static constexpr std::uint64_t DEFAULT_MAX_OUTPUT_PIXELS = 100'000'000;
};

/// What the header says about an input, read without decoding pixels.
struct InputInfo {
  InputFormat format = InputFormat::jpeg;
  int width = 0;  // of `page`, as stored, before auto-orientation
  int height = 0;
  int pages = 1;  // pages of a document, images of a HEIF collection or frames of an animation
  int page = 0;   // the one described here (0-based): the one asked for, else the first page,
                  // the collection's primary image, or an animation's first frame
  bool animated = false;  // the container says its pages are the frames of an animation (GIF,
                          // WebP, AVIF sequence), not the pages of a document (TIFF) or the
                          // images of a collection (HEIF/AVIF): only then are frames ever kept
  int orientation = 1;    // EXIF orientation 1-8
  bool has_alpha = false;
  bool interlaced = false;  // progressive JPEG / interlaced PNG
};

struct ConversionResult {
  std::vector<std::uint8_t> bytes;
  OutputFormat format = OutputFormat::jpeg;  // never `original`
  int width = 0;                             // of one frame
  int height = 0;
  int pages = 1;                    // frames in the output
  std::optional<int> page;          // the input page converted; none when every frame was kept
  std::optional<int> quality_used;  // the encoder quality actually used (after a max_bytes search)
  double max_bytes_scale = 1.0;     // extra down-scale the max_bytes search had to apply
  InputInfo input;
  std::uint64_t memory_estimate = 0;  // bytes reserved from the memory budget (memory_estimate.hpp)
  std::string placeholder;  // BlurHash of the output when ConversionInput::placeholder asked for
                            // it; empty when it could not be made (the output stands regardless)
};

struct ConversionInput {
  std::span<const std::uint8_t> bytes;            // the image file
  std::span<const std::uint8_t> watermark_image;  // PNG/WebP/... logo for an image watermark
  bool placeholder = false;  // also make the output's BlurHash (ConversionResult::placeholder)
};

/// Process-wide engine settings, applied by init_engine.
struct EngineConfig {
  std::string font_file;     // TrueType/OpenType font for text watermarks; empty: find a CJK font
  int vips_concurrency = 1;  // threads inside one image; parallelism comes from images
  // Bytes the process's conversions may take at once, by their estimated peaks (memory_budget.hpp);
  // 0: no budget.
  std::uint64_t memory_budget = 0;
  static constexpr std::uint64_t DEFAULT_MEMORY_BUDGET_MIB = 1024;
};

/// Starts libvips, blocks untrusted operations and every loader we do not dispatch to, disables
/// the operation cache. Call once before any conversion; safe to call again (no-op).
void init_engine(const EngineConfig& config = {});

/// Frees per-thread libvips state; call at the end of every thread that converted images.
void release_thread_resources();

/// The libvips the engine runs on ("libvips 8.18.7"); needs no init_engine.
std::string engine_version();

/// The format from the first bytes of a file (magic bytes only, no header parsing), or an
/// unsupported_format Error naming what it looks like ("SVG", "PDF", "text" ...).
Expected<InputFormat> detect_format(std::span<const std::uint8_t> head);

/// Detects the format from magic bytes and reads the header (of `page` when given, else of the
/// page converted by default); checks the limits, and refuses a page the input does not have
/// (invalid_option, field "page").
Expected<InputInfo> probe(std::span<const std::uint8_t> bytes, const EngineLimits& limits = {},
                          std::optional<int> page = std::nullopt);

/// Whether converting an input of `info` with `options` keeps all its frames: an animation, no
/// `page` asked for, and an output format that animates. Otherwise one page is converted.
bool keeps_frames(const InputInfo& info, const ConversionOptions& options);

/// Why an input of `pages` pages cannot give `page` (invalid_option naming "page"); nullopt
/// when it can or when no page is asked for. The upload checks it from each header, the engine
/// again before decoding.
std::optional<Error> page_refusal(int pages, std::optional<int> page);

/// Why converting an input of `info` with `options` would make more output pixels than the
/// limit allows (names the option: "width" or "height"); nullopt when it fits.
std::optional<Error> output_size_refusal(const InputInfo& info, const ConversionOptions& options,
                                         const EngineLimits& limits);

/// Converts one image. Never throws; every failure is an Error with a reason.
Expected<ConversionResult> convert(const ConversionInput& input, const ConversionOptions& options,
                                   const EngineLimits& limits = {});

/// The BlurHash placeholder (4x3 components) of an encoded image, from a 32-pixel decode of it.
/// A conversion makes its output's more cheaply (ConversionInput::placeholder).
Expected<std::string> placeholder_hash(std::span<const std::uint8_t> encoded);

}  // namespace imagesprint
