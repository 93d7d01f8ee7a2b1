#include "main/settings/webhook_delivery_settings.hpp"

#include <array>

namespace imagesprint {
namespace {

using Field = SettingField<WebhookDeliverySettings>;

const std::array FIELDS{
    Field{.name = "webhook_allow_private",
          .help = "Allow webhooks to private addresses (tests)",
          .member = &WebhookDeliverySettings::webhook_allow_private},
    Field{.name = "webhook_retry_base",
          .help = "Seconds before a webhook's first retry (each next wait doubles, with jitter)",
          .member = &WebhookDeliverySettings::webhook_retry_base,
          .max = WebhookSettings::MAX_RETRY_BASE_SECONDS,
          .expected = "more than 0, at most 3600 seconds",
          .accepts = [](const WebhookDeliverySettings& s) { return s.webhook_retry_base > 0; }},
    Field{.name = "webhook_max_attempts",
          .help = "Tries of one webhook delivery",
          .member = &WebhookDeliverySettings::webhook_max_attempts,
          .min = 1,
          .max = WebhookSettings::MAX_MAX_ATTEMPTS},
    Field{.name = "webhook_disable_after",
          .help = "Deliveries failed for good in a row before a webhook is disabled",
          .member = &WebhookDeliverySettings::webhook_disable_after,
          .min = 1},
    Field{.name = "webhook_timeout",
          .help = "Seconds for one webhook attempt",
          .member = &WebhookDeliverySettings::webhook_timeout,
          .min = 1,
          .max = 60},
    Field{.name = "webhook_dispatchers",
          .help = "Webhook deliveries attempted at once",
          .member = &WebhookDeliverySettings::webhook_dispatchers,
          .min = 1,
          .max = WebhookDispatcherSettings::MAX_THREADS},
};

}  // namespace

std::span<const SettingField<WebhookDeliverySettings>> WebhookDeliverySettings::fields() {
  return FIELDS;
}

}  // namespace imagesprint
