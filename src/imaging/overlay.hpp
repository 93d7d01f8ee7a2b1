#pragma once
// Places an RGBA overlay (a rendered text or a logo) on every frame of an image: at one of the
// 9 grid positions with a margin, or tiled over the whole frame.
#include <vips/vips8>

#include "domain/conversion_options.hpp"

namespace imagesprint {

struct OverlayPlacement {
  Position position = Position::bottom_right;
  int margin = 0;     // pixels between the overlay and the frame's edges (and between tiles)
  bool tile = false;  // repeat over the whole frame instead of placing once
};

/// `overlay` must be 4-band uchar sRGB with its opacity already in the alpha band.
/// The result keeps the base's band count (an opaque base stays without alpha).
vips::VImage composite_overlay(const vips::VImage& base, const vips::VImage& overlay, int pages,
                               int page_height, const OverlayPlacement& placement);

/// Multiplies the alpha band of an RGBA uchar image by `opacity` (0..1).
vips::VImage scale_alpha(const vips::VImage& rgba, double opacity);

/// Margin in pixels from the option's fraction of the frame's shorter side.
int margin_pixels(double fraction, int width, int height);

}  // namespace imagesprint
