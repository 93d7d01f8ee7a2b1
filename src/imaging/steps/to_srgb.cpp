// Step: every output is 8-bit sRGB (or 8-bit grey where the encoder keeps grey). Embedded ICC
// profiles are honoured (Adobe RGB, Display P3, CMYK ...); CMYK without a profile goes through
// libvips' built-in CMYK profile; Lab, 16-bit and the rest through colourspace().
#include "imaging/pipeline.hpp"

namespace imagesprint {
namespace {

using vips::VImage;

bool keeps_grey(OutputFormat f) {
  return f == OutputFormat::jpeg || f == OutputFormat::png || f == OutputFormat::tiff;
}

bool is_grey(VipsInterpretation i) {
  return i == VIPS_INTERPRETATION_B_W || i == VIPS_INTERPRETATION_GREY16;
}

}  // namespace

void to_srgb(PipelineContext& ctx) {
  VImage image = ctx.image;
  const VipsInterpretation interpretation = image.interpretation();
  const bool has_profile = image.get_typeof(VIPS_META_ICC_NAME) != 0;
  const bool grey_out = is_grey(interpretation) && keeps_grey(ctx.output) && !has_profile;

  if (interpretation == VIPS_INTERPRETATION_CMYK || has_profile) {
    // depth 8: libvips would otherwise keep a 16-bit input 16-bit.
    vips::VOption* options = VImage::option()
                                 ->set("embedded", true)
                                 ->set("intent", VIPS_INTENT_PERCEPTUAL)
                                 ->set("depth", 8);
    if (!has_profile) options->set("input_profile", "cmyk");
    image = image.icc_transform("srgb", options);
  } else if (grey_out) {
    if (interpretation != VIPS_INTERPRETATION_B_W)
      image = image.colourspace(VIPS_INTERPRETATION_B_W);
  } else if (interpretation != VIPS_INTERPRETATION_sRGB || image.bands() < 3) {
    image = image.colourspace(VIPS_INTERPRETATION_sRGB);
  }
  // Anything still not 8-bit (float after a premultiplied resize, say) is in 0-255 already.
  if (image.format() != VIPS_FORMAT_UCHAR) image = image.cast(VIPS_FORMAT_UCHAR);
  ctx.image = image;
}

}  // namespace imagesprint
