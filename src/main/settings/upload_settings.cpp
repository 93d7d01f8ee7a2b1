#include "main/settings/upload_settings.hpp"

#include <array>

namespace imagesprint {
namespace {

using Field = SettingField<UploadSettings>;

const std::array FIELDS{
    Field{.name = "max_files",
          .help = "Files per job",
          .member = &UploadSettings::max_files,
          .min = 1,
          .max = 1000},
    Field{.name = "max_file_bytes",
          .help = "Bytes per uploaded file",
          .member = &UploadSettings::max_file_bytes,
          .min = 1024},
    Field{.name = "max_pixels",
          .help = "Pixels per input image (from its header)",
          .member = &UploadSettings::max_pixels,
          .min = 1},
    Field{.name = "max_output_pixels",
          .help = "Pixels per output image (from the input's header and the options)",
          .member = &UploadSettings::max_output_pixels,
          .min = 1},
};

}  // namespace

std::span<const SettingField<UploadSettings>> UploadSettings::fields() {
  return FIELDS;
}

}  // namespace imagesprint
