#pragma once
// The service's settings (ServiceConfig, in the units a person types) turned into each
// component's own settings, in one place, so every role (serve, api, worker) builds its
// components alike.
#include <string>
#include <vector>

#include "adapters/http/api/api_guards.hpp"
#include "adapters/http/server_config.hpp"
#include "app/accounts.hpp"
#include "app/job_upload.hpp"
#include "app/job_worker.hpp"
#include "app/presets.hpp"
#include "app/runners.hpp"
#include "app/webhooks.hpp"
#include "main/service_config.hpp"

namespace imagesprint {

/// Worker threads: the setting, or one per core.
int worker_threads(const ServiceConfig& config);

EngineConfig engine_config(const ServiceConfig& config);
WorkerSettings worker_settings(const ServiceConfig& config);
UploadLimits upload_limits(const ServiceConfig& config);
WebhookSettings webhook_settings(const ServiceConfig& config);
AccountsConfig accounts_settings(const ServiceConfig& config);
PresetSettings preset_settings(const ServiceConfig& config);
JanitorSettings janitor_settings(const ServiceConfig& config);
WebhookDispatcherSettings webhook_dispatcher_settings(const ServiceConfig& config);
api::ApiLimits api_limits(const ServiceConfig& config);
http::ServerConfig server_settings(const ServiceConfig& config);

/// Origins whose pages may make cookie-authenticated changes: the public URL's, if set.
std::vector<std::string> trusted_origins(const ServiceConfig& config);

}  // namespace imagesprint
