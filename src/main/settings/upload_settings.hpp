#pragma once
// Settings of what one upload may hold (the API refuses beyond them with a 4xx naming the file).
// Defaults: the upload's and the engine's own (UploadLimits, EngineLimits).
#include <cstdint>
#include <span>

#include "app/job_upload.hpp"
#include "imaging/engine.hpp"
#include "main/settings/setting_field.hpp"

namespace imagesprint {

struct UploadSettings {
  int max_files = UploadLimits::DEFAULT_MAX_FILES;
  std::int64_t max_file_bytes = static_cast<std::int64_t>(EngineLimits::DEFAULT_MAX_INPUT_BYTES);
  /// Input pixels, from the header.
  std::int64_t max_pixels = static_cast<std::int64_t>(EngineLimits::DEFAULT_MAX_INPUT_PIXELS);
  /// Output pixels, from the header and the options.
  std::int64_t max_output_pixels =
      static_cast<std::int64_t>(EngineLimits::DEFAULT_MAX_OUTPUT_PIXELS);

  static std::span<const SettingField<UploadSettings>> fields();
  FieldErrors validate() const { return check_fields(*this); }
};

}  // namespace imagesprint
