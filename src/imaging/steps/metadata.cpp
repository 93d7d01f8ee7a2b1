// Step: what metadata the encoder writes. Pixels are already sRGB, so stripping the ICC profile
// keeps the colour (sRGB is what every viewer assumes without one).
#include <algorithm>
#include <array>
#include <memory>
#include <string_view>

#include "imaging/pipeline.hpp"

namespace imagesprint {
namespace {

using vips::VImage;

struct FieldsDeleter {
  void operator()(gchar** fields) const { g_strfreev(fields); }
};

/// `copyright`: keep only the ICC profile and EXIF Copyright/Artist. libvips rebuilds the EXIF
/// block on save from the remaining "exif-*" fields, dropping tags whose field was removed.
VImage keep_copyright_only(const VImage& in) {
  static constexpr std::array<std::string_view, 3> KEEP{"exif-data", "exif-ifd0-Copyright",
                                                        "exif-ifd0-Artist"};
  VImage image = in.copy();
  const std::unique_ptr<gchar*, FieldsDeleter> fields(vips_image_get_fields(image.get_image()));
  for (gchar** f = fields.get(); *f; ++f) {
    const std::string_view name(*f);
    const bool exif = name.starts_with("exif-");
    const bool keep = std::find(KEEP.begin(), KEEP.end(), name) != KEEP.end();
    if ((exif && !keep) || name == VIPS_META_XMP_NAME || name == VIPS_META_IPTC_NAME ||
        name == VIPS_META_PHOTOSHOP_NAME) {
      image.remove(*f);
    }
  }
  return image;
}

}  // namespace

void metadata(PipelineContext& ctx) {
  switch (ctx.options.metadata) {
    case MetadataPolicy::strip:
      ctx.keep = VIPS_FOREIGN_KEEP_NONE;
      break;
    case MetadataPolicy::keep:
      ctx.keep = VIPS_FOREIGN_KEEP_ALL;
      break;
    case MetadataPolicy::copyright:
      ctx.image = keep_copyright_only(ctx.image);
      ctx.keep = VIPS_FOREIGN_KEEP_EXIF | VIPS_FOREIGN_KEEP_ICC;
      break;
  }
}

}  // namespace imagesprint
