#pragma once
// The output geometry of a resize: pure arithmetic, so every fit mode's documented size is
// unit-tested without decoding an image.
#include "domain/conversion_options.hpp"

namespace imagesprint {

/// The side whose asked size set the scale when the aspect ratio is kept (none for fill, or when
/// nothing is scaled): the other side's size is that scale, rounded.
enum class ScaledBy { none, width, height };

struct ResizePlan {
  int resize_width = 0;  // size after scaling
  int resize_height = 0;
  int out_width = 0;  // final size (smaller than the resize size only for a cover crop)
  int out_height = 0;
  ScaledBy scaled_by = ScaledBy::none;
};

/// Sizes for an upright input of in_width x in_height (after auto-orientation):
/// - no width/height: unchanged.
/// - one of them: the other follows the aspect ratio, whatever the fit.
/// - contain/inside: the largest size that fits inside width x height, ratio kept.
/// - outside: the smallest size that covers width x height, ratio kept.
/// - fill: exactly width x height.
/// - cover: scaled to cover width x height, then cropped to exactly that.
/// Without `enlarge`, no side is ever scaled up (cover then crops to what there is).
ResizePlan plan_resize(int in_width, int in_height, const ConversionOptions& options);

}  // namespace imagesprint
