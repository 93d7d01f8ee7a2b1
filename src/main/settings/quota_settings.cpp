#include "main/settings/quota_settings.hpp"

#include <array>

namespace imagesprint {
namespace {

using Field = SettingField<QuotaSettings>;

const std::array FIELDS{
    Field{.name = "max_active_jobs",
          .help = "Jobs queued or running per user",
          .member = &QuotaSettings::max_active_jobs,
          .min = 1},
    Field{.name = "max_queued_images",
          .help = "Images waiting for conversion per user",
          .member = &QuotaSettings::max_queued_images,
          .min = 1},
    Field{.name = "max_stored_bytes",
          .help = "Bytes of inputs and outputs kept per user",
          .member = &QuotaSettings::max_stored_bytes,
          .min = 1},
    Field{.name = "max_webhooks",
          .help = "Webhooks per user",
          .member = &QuotaSettings::max_webhooks,
          .min = 1},
    Field{.name = "max_presets",
          .help = "Presets (named conversion options) per user",
          .member = &QuotaSettings::max_presets,
          .min = 1,
          .max = PresetSettings::MAX_MAX_PER_USER},
};

}  // namespace

std::span<const SettingField<QuotaSettings>> QuotaSettings::fields() {
  return FIELDS;
}

}  // namespace imagesprint
