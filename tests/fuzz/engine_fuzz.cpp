// Fuzzes the conversion engine (src/imaging/engine.*) on small inputs: sniffing, header probing,
// our own decoders (BMP, HEIC) and libvips' loaders behind them, and the whole pipeline with
// options chosen from a hash of the input. The input is capped at 64 KiB, the header at a small
// pixel count, and every conversion has a short time budget, so one run stays well under
// libFuzzer's -timeout; what is being checked is that every input ends in a result or an Error.
#include <cstddef>
#include <cstdint>
#include <span>

#include "domain/conversion_options.hpp"
#include "fuzz_support.hpp"
#include "imaging/engine.hpp"

namespace {

constexpr std::size_t MAX_INPUT_BYTES = 64 * 1024;

imagesprint::EngineLimits small_limits() {
  imagesprint::EngineLimits limits;
  limits.max_input_bytes = MAX_INPUT_BYTES;
  // A few KiB may announce a huge image: keep what gets decoded small.
  limits.max_input_pixels = 4'000'000;
  limits.max_interlaced_pixels = 1'000'000;
  return limits;
}

/// Draws `bits` bits from a hash, lowest first.
class Bits {
 public:
  explicit Bits(std::span<const std::uint8_t> bytes) {
    for (const std::uint8_t b : bytes) hash_ = (hash_ ^ b) * 1099511628211ull;  // FNV-1a
  }
  unsigned take(int bits) {
    const auto value = static_cast<unsigned>(hash_ & ((1u << bits) - 1));
    hash_ = (hash_ >> bits) | (hash_ << (64 - bits));
    return value;
  }

 private:
  std::uint64_t hash_ = 14695981039346656037ull;
};

/// Options from a hash of the whole input: every mutation also varies the options, and each
/// seed file stands for one combination. Output sizes stay small; the slow paths (AVIF, the
/// max_bytes search, watermarks) come up less often.
imagesprint::ConversionOptions options_for(std::span<const std::uint8_t> bytes, bool& self_logo) {
  using namespace imagesprint;
  Bits bits(bytes);
  ConversionOptions o;
  static constexpr OutputFormat FORMATS[] = {
      OutputFormat::original, OutputFormat::jpeg, OutputFormat::png, OutputFormat::webp,
      OutputFormat::gif,      OutputFormat::tiff, OutputFormat::bmp, OutputFormat::jpeg};
  o.format = FORMATS[bits.take(3)];
  if (bits.take(4) == 0) o.format = OutputFormat::avif;
  if (bits.take(1)) o.width = 1 + static_cast<int>(bits.take(6));
  if (bits.take(1)) o.height = 1 + static_cast<int>(bits.take(6));
  if (!o.width && !o.height) o.width = 64;  // never the input's full size
  o.fit = static_cast<Fit>(bits.take(3) % 5);
  o.gravity = static_cast<Gravity>(bits.take(4) % 11);
  o.enlarge = bits.take(1) != 0;
  o.quality = 1 + static_cast<int>(bits.take(7) % 100);
  o.lossless = bits.take(1) != 0;
  o.progressive = bits.take(1) != 0;
  o.palette = bits.take(1) != 0;
  o.metadata = static_cast<MetadataPolicy>(bits.take(2) % 3);
  if (bits.take(4) == 0) o.max_bytes = ConversionOptions::MIN_MAX_BYTES + bits.take(10);
  o.background = Rgba{static_cast<std::uint8_t>(bits.take(8)), 0, 0, 255};
  switch (bits.take(4)) {
    case 0:
    case 1:
      o.watermark.kind = WatermarkKind::text;
      o.watermark.text = "Fuzz \xED\x8D\xBC\xEC\xA6\x88";  // "퍼즈": Hangul glyphs too
      break;
    case 2:
      o.watermark.kind = WatermarkKind::image;
      break;
    default:
      break;
  }
  o.watermark.position = static_cast<Position>(bits.take(4) % 9);
  o.watermark.tile = bits.take(1) != 0;
  self_logo = o.watermark.kind == WatermarkKind::image;
  o.timeout_seconds = 2;
  return o;
}

}  // namespace

// libvips starts once per process, before the first input (init_engine is idempotent too).
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  imagesprint::init_engine();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace imagesprint;
  if (size > MAX_INPUT_BYTES) return -1;  // not added to the corpus
  const std::span<const std::uint8_t> bytes(data, size);
  const EngineLimits limits = small_limits();

  const auto info = probe(bytes, limits);
  if (info) {
    FUZZ_CHECK(info->width > 0 && info->height > 0 && info->pages >= 1);
    FUZZ_CHECK(static_cast<std::uint64_t>(info->width) * static_cast<std::uint64_t>(info->height) <=
               limits.max_input_pixels);
  } else {
    FUZZ_CHECK(!info.error().message.empty());
  }

  bool self_logo = false;
  const ConversionOptions options = options_for(bytes, self_logo);
  ConversionInput input;
  input.bytes = bytes;
  if (self_logo) input.watermark_image = bytes;  // the input as its own logo
  const auto result = convert(input, options, limits);
  if (result) {
    FUZZ_CHECK(info.ok());  // what converts must have probed
    FUZZ_CHECK(!result->bytes.empty());
    FUZZ_CHECK(result->width > 0 && result->height > 0);
    FUZZ_CHECK(result->format != OutputFormat::original);
  } else {
    FUZZ_CHECK(!result.error().message.empty());
  }
  return 0;
}
