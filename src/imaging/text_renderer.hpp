#pragma once
// Renders watermark text to an antialiased 8-bit mask with Pango (vips_text), sized to a target
// width. Renders are cached: a batch puts the same text at the same size on many images, and
// each Pango render costs milliseconds under libvips' global text lock.
#include <string>

#include <vips/vips8>

namespace imagesprint {

/// A one-band uchar mask of `text` (plain text, not markup) about `width` pixels wide and at most
/// `max_height` tall. Thread-safe; the returned image is in memory and may be shared.
vips::VImage render_text_mask(const std::string& text, int width, int max_height);

}  // namespace imagesprint
