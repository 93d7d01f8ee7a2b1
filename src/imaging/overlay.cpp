#include "imaging/overlay.hpp"

#include <algorithm>
#include <cmath>

#include "imaging/frames.hpp"

namespace imagesprint {

using vips::VImage;

namespace {

/// Top-left corner of a w x h overlay in a frame_w x frame_h frame.
std::pair<int, int> grid_origin(Position p, int frame_w, int frame_h, int w, int h, int margin) {
  const int left = margin, hcenter = (frame_w - w) / 2, right = frame_w - w - margin;
  const int top = margin, vcenter = (frame_h - h) / 2, bottom = frame_h - h - margin;
  int x = hcenter, y = vcenter;
  switch (p) {
    case Position::top_left:
      x = left;
      y = top;
      break;
    case Position::top_center:
      x = hcenter;
      y = top;
      break;
    case Position::top_right:
      x = right;
      y = top;
      break;
    case Position::middle_left:
      x = left;
      y = vcenter;
      break;
    case Position::center:
      break;
    case Position::middle_right:
      x = right;
      y = vcenter;
      break;
    case Position::bottom_left:
      x = left;
      y = bottom;
      break;
    case Position::bottom_center:
      x = hcenter;
      y = bottom;
      break;
    case Position::bottom_right:
      x = right;
      y = bottom;
      break;
  }
  return {std::max(0, x), std::max(0, y)};
}

/// A transparent frame-sized layer holding the overlay once or tiled.
VImage frame_layer(const VImage& overlay, int frame_w, int frame_h,
                   const OverlayPlacement& placement) {
  if (placement.tile) {
    const int tile_w = overlay.width() + placement.margin,
              tile_h = overlay.height() + placement.margin;
    const VImage tile = overlay.embed(0, 0, tile_w, tile_h);
    const int across = (frame_w + tile_w - 1) / tile_w, down = (frame_h + tile_h - 1) / tile_h;
    return tile.replicate(across, down).crop(0, 0, frame_w, frame_h);
  }
  // An overlay larger than the frame is cut to it rather than refused.
  VImage fitted = overlay;
  if (fitted.width() > frame_w || fitted.height() > frame_h) {
    fitted =
        fitted.crop(0, 0, std::min(fitted.width(), frame_w), std::min(fitted.height(), frame_h));
  }
  const auto [x, y] = grid_origin(placement.position, frame_w, frame_h, fitted.width(),
                                  fitted.height(), placement.margin);
  return fitted.embed(x, y, frame_w, frame_h);
}

}  // namespace

int margin_pixels(double fraction, int width, int height) {
  return static_cast<int>(std::lround(fraction * std::min(width, height)));
}

VImage scale_alpha(const VImage& rgba, double opacity) {
  if (opacity >= 1.0) return rgba;
  const VImage alpha = (rgba[3] * opacity).cast(VIPS_FORMAT_UCHAR);
  return rgba.extract_band(0, VImage::option()->set("n", 3)).bandjoin(alpha);
}

VImage composite_overlay(const VImage& base, const VImage& overlay, int pages, int page_height,
                         const OverlayPlacement& placement) {
  const bool base_alpha = base.has_alpha();
  const auto blend = [&](const VImage& under, const VImage& over) {
    VImage out = under.composite2(over, VIPS_BLEND_MODE_OVER);
    if (out.format() != VIPS_FORMAT_UCHAR) out = out.cast(VIPS_FORMAT_UCHAR);
    // The base was opaque: its alpha band is all 255 now, drop it again.
    if (!base_alpha) out = out.extract_band(0, VImage::option()->set("n", out.bands() - 1));
    return out;
  };
  if (placement.tile) {
    VImage layer = frame_layer(overlay, base.width(), page_height, placement);
    if (pages > 1) layer = layer.replicate(1, pages);
    return blend(base, layer);
  }
  // Blend only the rectangle under the overlay and put it back: compositing a frame-sized
  // transparent layer would cost a full pass of float blending over every pixel (~50 ms for a
  // 1280x800 image, measured), for a watermark that covers a few percent of it.
  VImage fitted = overlay;
  if (fitted.width() > base.width() || fitted.height() > page_height) {
    fitted = fitted.crop(0, 0, std::min(fitted.width(), base.width()),
                         std::min(fitted.height(), page_height));
  }
  // Plain ints, not a structured binding: the lambda below captures them, which clang before 16
  // refuses for bindings (the fuzz preset builds with clang 14).
  const auto origin = grid_origin(placement.position, base.width(), page_height, fitted.width(),
                                  fitted.height(), placement.margin);
  const int x = origin.first, y = origin.second;
  const auto mark_frame = [&](const VImage& frame) {
    VImage under = frame.extract_area(x, y, fitted.width(), fitted.height());
    if (under.interpretation() != VIPS_INTERPRETATION_sRGB || under.bands() < 3) {
      // A grey frame takes a coloured watermark: the whole frame becomes sRGB.
      const VImage rgb = frame.colourspace(VIPS_INTERPRETATION_sRGB);
      return rgb.insert(blend(rgb.extract_area(x, y, fitted.width(), fitted.height()), fitted), x,
                        y);
    }
    return frame.insert(blend(under, fitted), x, y);
  };
  return map_frames(base, pages, page_height, mark_frame);
}

}  // namespace imagesprint
