// Step: encode. With `max_bytes`, search the highest quality that fits (binary search, lossy
// formats), and if even the lowest acceptable quality is too large, scale down and search again.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "imaging/encoders.hpp"
#include "imaging/frames.hpp"
#include "imaging/imaging_error.hpp"
#include "imaging/pipeline.hpp"
#include "imaging/placeholder.hpp"

namespace imagesprint {
namespace {

using vips::VImage;
using Bytes = std::vector<std::uint8_t>;

constexpr int MIN_SEARCH_QUALITY = 10;  // below this, scaling down looks better than more artefacts
constexpr int MAX_SCALE_ROUNDS = 8;

struct Encoded {
  Bytes bytes;
  int quality;
};

class Encoder {
 public:
  Encoder(PipelineContext& ctx, EncodeParams params) : ctx_(ctx), params_(params) {}

  Bytes at(const VImage& image, int quality) {
    ctx_.deadline.arm(image);
    EncodeParams p = params_;
    p.quality = quality;
    return encode_image(image, ctx_.output, p);
  }

  /// The highest quality in [MIN_SEARCH_QUALITY, start] whose output fits, or the smallest
  /// output tried when none does.
  Encoded search(const VImage& image, int start, std::int64_t max_bytes, bool& fits) {
    Encoded best{at(image, start), start};
    fits = static_cast<std::int64_t>(best.bytes.size()) <= max_bytes;
    if (fits || !is_lossy(ctx_.output, params_.lossless)) return best;
    int lo = std::min(MIN_SEARCH_QUALITY, start), hi = start - 1;
    while (lo <= hi) {
      const int mid = (lo + hi) / 2;
      Bytes bytes = at(image, mid);
      if (static_cast<std::int64_t>(bytes.size()) <= max_bytes) {
        best = {std::move(bytes), mid};
        fits = true;
        lo = mid + 1;
      } else {
        if (!fits && bytes.size() < best.bytes.size()) best = {std::move(bytes), mid};
        hi = mid - 1;
      }
    }
    return best;
  }

 private:
  PipelineContext& ctx_;
  EncodeParams params_;
};

/// The placeholder of the output just encoded from `image`: from its pixels when they are in
/// memory, else from the encoded file. Never fails the conversion: an output without one is
/// still the output.
void make_placeholder(PipelineContext& ctx, const VImage& image, int page_height, bool in_memory) {
  if (!ctx.placeholder) return;
  if (!in_memory) {
    if (auto hash = placeholder_hash(ctx.result.bytes)) ctx.result.placeholder = std::move(*hash);
    return;
  }
  try {
    ctx.result.placeholder = placeholder_of(image, page_height);
  } catch (const std::exception&) {
    vips_error_clear();
  }
}

}  // namespace

void encode(PipelineContext& ctx) {
  const ConversionOptions& o = ctx.options;
  const EncodeParams params{o.quality, o.lossless, o.progressive, o.palette, o.effort.value_or(-1),
                            ctx.keep};
  Encoder encoder(ctx, params);
  ConversionResult& r = ctx.result;
  r.format = ctx.output;
  r.pages = ctx.pages;
  if (!ctx.keep_frames) r.page = ctx.input.page;
  const bool lossy = is_lossy(ctx.output, o.lossless);

  if (!o.max_bytes) {
    const bool in_memory = placeholder_from_pixels(ctx);
    if (in_memory) {  // the pixels stay at hand for the placeholder (placeholder.hpp)
      ctx.deadline.arm(ctx.image);
      ctx.image = ctx.image.copy_memory();
    }
    r.bytes = encoder.at(ctx.image, o.quality);
    r.width = ctx.image.width();
    r.height = ctx.page_height;
    if (lossy) r.quality_used = encoder_quality(ctx.output, o.quality);
    make_placeholder(ctx, ctx.image, ctx.page_height, in_memory);
    return;
  }

  // The search encodes many times: compute the pixels once.
  ctx.deadline.arm(ctx.image);
  const VImage base = ctx.image.copy_memory();
  VImage image = base;
  int page_height = ctx.page_height;
  double scale = 1.0;
  for (int round = 0; round < MAX_SCALE_ROUNDS; ++round) {
    bool fits = false;
    Encoded e = encoder.search(image, o.quality, *o.max_bytes, fits);
    if (fits) {
      r.bytes = std::move(e.bytes);
      r.width = image.width();
      r.height = page_height;
      r.max_bytes_scale = scale;
      if (lossy) r.quality_used = encoder_quality(ctx.output, e.quality);
      make_placeholder(ctx, image, page_height, true);
      return;
    }
    // Bytes grow roughly with the pixel count: scale by the square root of the overshoot.
    const double overshoot =
        static_cast<double>(*o.max_bytes) / static_cast<double>(e.bytes.size());
    scale *= std::clamp(std::sqrt(overshoot) * 0.95, 0.1, 0.9);
    const int w = static_cast<int>(std::lround(base.width() * scale));
    page_height = static_cast<int>(std::lround(ctx.page_height * scale));
    if (w < 1 || page_height < 1) break;
    image = resize_frames(base, ctx.pages, w, page_height).copy_memory();
  }
  throw ImagingError(ErrorCode::invalid_option,
                     "max_bytes: no quality or size brings this image under " +
                         std::to_string(*o.max_bytes) + " bytes as " +
                         std::string(to_string(ctx.output)),
                     "max_bytes");
}

}  // namespace imagesprint
