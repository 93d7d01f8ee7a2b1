// Step: a logo watermark (PNG or any accepted input format) scaled to a fraction of the width,
// its alpha multiplied by the opacity, placed on the 9-grid or tiled.
#include <algorithm>
#include <cmath>

#include "imaging/codecs/format_sniffer.hpp"
#include "imaging/failure_cause.hpp"
#include "imaging/frames.hpp"
#include "imaging/imaging_error.hpp"
#include "imaging/loaders.hpp"
#include "imaging/overlay.hpp"
#include "imaging/pipeline.hpp"

namespace imagesprint {

using vips::VImage;

namespace {
constexpr std::int64_t EAGER_LOGO_PIXELS = 4'000'000;
}  // namespace

void watermark_image(PipelineContext& ctx) {
  const WatermarkOptions& w = ctx.options.watermark;
  if (w.kind != WatermarkKind::image || w.opacity <= 0.0) return;
  if (ctx.watermark_bytes.empty()) {
    throw ImagingError(ErrorCode::invalid_option, "an image watermark needs a watermark image",
                       "watermark_image");
  }
  // The logo is untrusted input too: same sniffing and limits as any image. Whatever fails while
  // it is read, decoded or scaled is the logo's fault and is named so (field watermark_image),
  // never taken for the photo's. So the scaled logo is decoded here, into memory, rather than
  // lazily while the photo is encoded; only a logo scaled past EAGER_LOGO_PIXELS (16 MiB of
  // RGBA) stays lazy, to keep the memory of one conversion bounded by its output.
  EngineLimits logo_limits = ctx.limits;
  logo_limits.max_input_pixels = std::min<std::uint64_t>(logo_limits.max_input_pixels, 25'000'000);
  const int frame_w = ctx.image.width(), frame_h = ctx.page_height;
  VImage logo;
  try {
    const InputInfo info = read_header(ctx.watermark_bytes, logo_limits);
    logo = load_image(info.format, ctx.watermark_bytes, {});
    if (logo.interpretation() != VIPS_INTERPRETATION_sRGB || logo.bands() < 3) {
      logo = logo.colourspace(VIPS_INTERPRETATION_sRGB);
    }
    if (logo.format() != VIPS_FORMAT_UCHAR) logo = logo.cast(VIPS_FORMAT_UCHAR);
    if (!logo.has_alpha()) logo = logo.bandjoin(255);
    logo = logo.extract_band(0, VImage::option()->set("n", 4));

    int logo_w = std::max(1, static_cast<int>(std::lround(w.size * frame_w)));
    int logo_h =
        std::max(1, static_cast<int>(std::lround(double(logo.height()) * logo_w / logo.width())));
    if (logo_h > frame_h) {  // a tall logo is bounded by the frame's height instead
      logo_w = std::max(1, static_cast<int>(std::lround(double(logo_w) * frame_h / logo_h)));
      logo_h = frame_h;
    }
    logo = resize_frames(logo, 1, logo_w, logo_h);
    logo = scale_alpha(logo, w.opacity)
               .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
    if (std::int64_t(logo_w) * logo_h <= EAGER_LOGO_PIXELS) logo = logo.copy_memory();
  } catch (const vips::VError& e) {
    // The logo's fault only if it does not decode on its own (failure_cause.hpp); else the
    // conversion's, and the engine decides that.
    clear_library_errors();
    const auto format = sniff_format(ctx.watermark_bytes);
    const auto complaint = format ? decode_failure(*format, ctx.watermark_bytes, {}) : std::nullopt;
    if (!complaint) throw;
    throw ImagingError(ErrorCode::corrupt_image,
                       "watermark image: " + damaged_input(*complaint).message, "watermark_image");
  } catch (...) {
    const Error error = to_error(std::current_exception(), false);
    throw ImagingError(error.code, "watermark image: " + error.message, "watermark_image");
  }
  const OverlayPlacement placement{w.position, margin_pixels(w.margin, frame_w, frame_h), w.tile};
  ctx.image = composite_overlay(ctx.image, logo, ctx.pages, frame_h, placement);
}

}  // namespace imagesprint
