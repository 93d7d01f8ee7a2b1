#pragma once
// Settings of webhook deliveries: the retry schedule, when a webhook is disabled, one attempt's
// time limit and where it may go, and how many deliveries are attempted at once. Defaults: the
// components' own (WebhookSettings, the dispatcher's WebhookDispatcherSettings, the curl
// transport's CurlTransportConfig).
#include <span>

#include "adapters/curl/curl_webhook_transport.hpp"
#include "app/runners.hpp"
#include "app/webhooks.hpp"
#include "main/settings/setting_field.hpp"

namespace imagesprint {

struct WebhookDeliverySettings {
  static constexpr int DEFAULT_TIMEOUT =
      static_cast<int>(curl::CurlTransportConfig::DEFAULT_TOTAL_TIMEOUT.count() / 1000);
  static constexpr int DEFAULT_DISPATCHERS = WebhookDispatcherSettings::DEFAULT_THREADS;

  bool webhook_allow_private = false;  // allow loopback/private targets (tests only)
  /// Seconds before the first retry; each next one doubles.
  double webhook_retry_base = WebhookSettings::DEFAULT_RETRY_BASE_SECONDS;
  int webhook_max_attempts = WebhookSettings::DEFAULT_MAX_ATTEMPTS;    // tries of one delivery
  int webhook_disable_after = WebhookSettings::DEFAULT_DISABLE_AFTER;  // failed in a row
  int webhook_timeout = DEFAULT_TIMEOUT;          // seconds for one attempt (connect: at most 5)
  int webhook_dispatchers = DEFAULT_DISPATCHERS;  // deliveries attempted at once

  static std::span<const SettingField<WebhookDeliverySettings>> fields();
  FieldErrors validate() const { return check_fields(*this); }
};

}  // namespace imagesprint
