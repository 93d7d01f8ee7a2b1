#pragma once
// Process-wide engine state set by init_engine: the watermark font.
#include <string>

namespace imagesprint {

struct WatermarkFont {
  std::string file;    // TrueType/OpenType file loaded explicitly into fontconfig
  std::string family;  // its family name for the Pango font description
};

/// The font text watermarks use (NanumGothic, so Hangul renders; set by init_engine).
const WatermarkFont& watermark_font();

}  // namespace imagesprint
