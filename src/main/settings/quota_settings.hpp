#pragma once
// Settings of what one account may hold at once (each refused with 429 naming the limit).
// Defaults: the components' own (UserQuotas, WebhookSettings, PresetSettings).
#include <cstdint>
#include <span>

#include "app/presets.hpp"
#include "app/quotas.hpp"
#include "app/webhooks.hpp"
#include "main/settings/setting_field.hpp"

namespace imagesprint {

struct QuotaSettings {
  std::int64_t max_active_jobs = UserQuotas::DEFAULT_ACTIVE_JOBS;      // queued or running
  std::int64_t max_queued_images = UserQuotas::DEFAULT_QUEUED_IMAGES;  // waiting for conversion
  std::int64_t max_stored_bytes = UserQuotas::DEFAULT_STORED_BYTES;    // inputs + outputs kept
  int max_webhooks = WebhookSettings::DEFAULT_MAX_PER_USER;
  int max_presets = PresetSettings::DEFAULT_MAX_PER_USER;

  static std::span<const SettingField<QuotaSettings>> fields();
  FieldErrors validate() const { return check_fields(*this); }
};

}  // namespace imagesprint
