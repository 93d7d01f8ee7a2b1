#pragma once
// Helpers for images that may hold several frames stacked vertically (libvips' representation of
// an animation: one tall strip with a "page-height").
#include <functional>

#include <vips/vips8>

#include "domain/resize_plan.hpp"

namespace imagesprint {

/// Resizes every frame to width x page_height with lanczos3. Alpha is premultiplied around the
/// resize so transparent pixels do not bleed their colour into the edges.
/// With `scaled_by` naming a side (the plan kept the ratio), a single frame is scaled by that
/// side's factor on both axes when that rounds to the same size (sharp's way); else, and for
/// animations, each side is scaled to exactly its size.
vips::VImage resize_frames(vips::VImage image, int pages, int width, int page_height,
                           ScaledBy scaled_by = ScaledBy::none);

/// Applies `fn` to each frame and stacks the results again (page-height updated).
vips::VImage map_frames(const vips::VImage& image, int pages, int page_height,
                        const std::function<vips::VImage(const vips::VImage&)>& fn);

/// Sets page-height on a copy (libvips images are immutable once shared).
vips::VImage with_page_height(const vips::VImage& image, int pages, int page_height);

}  // namespace imagesprint
