#include "domain/resize_plan.hpp"

#include <algorithm>
#include <cmath>

namespace imagesprint {
namespace {

int scaled(int size, double scale) {
  // Clamped before the conversion: a 1-pixel-wide input "outside" a 16384 box would otherwise
  // ask for a side past INT_MAX (undefined behaviour); callers refuse such sizes anyway.
  constexpr double LIMIT = 1 << 30;
  return std::max(1, static_cast<int>(std::lround(std::min(size * scale, LIMIT))));
}

}  // namespace

ResizePlan plan_resize(int in_w, int in_h, const ConversionOptions& o) {
  ResizePlan p{in_w, in_h, in_w, in_h};
  if (!o.width && !o.height) return p;
  const auto cap = [&](double s) { return o.enlarge ? s : std::min(s, 1.0); };
  const double sx = o.width ? static_cast<double>(*o.width) / in_w : 0.0;
  const double sy = o.height ? static_cast<double>(*o.height) / in_h : 0.0;

  if (!o.width || !o.height) {
    const double s = cap(o.width ? sx : sy);
    p.resize_width = o.width && s == sx ? *o.width : scaled(in_w, s);
    p.resize_height = o.height && s == sy ? *o.height : scaled(in_h, s);
    if (s == sx || s == sy) p.scaled_by = o.width ? ScaledBy::width : ScaledBy::height;
  } else {
    switch (o.fit) {
      case Fit::fill:
        p.resize_width = scaled(in_w, cap(sx));
        p.resize_height = scaled(in_h, cap(sy));
        break;
      case Fit::contain:
      case Fit::inside:
      case Fit::outside:
      case Fit::cover: {
        const bool covering = o.fit == Fit::outside || o.fit == Fit::cover;
        const double s = cap(covering ? std::max(sx, sy) : std::min(sx, sy));
        // The side that decided the scale gets exactly the asked size (no rounding drift).
        p.resize_width = s == sx ? *o.width : scaled(in_w, s);
        p.resize_height = s == sy ? *o.height : scaled(in_h, s);
        if (s == sx || s == sy) p.scaled_by = s == sx ? ScaledBy::width : ScaledBy::height;
        break;
      }
    }
  }
  p.out_width = p.resize_width;
  p.out_height = p.resize_height;
  if (o.fit == Fit::cover && o.width && o.height) {
    p.out_width = std::min(p.resize_width, *o.width);
    p.out_height = std::min(p.resize_height, *o.height);
  }
  return p;
}

}  // namespace imagesprint
