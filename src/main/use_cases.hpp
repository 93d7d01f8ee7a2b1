#pragma once
// The use cases that both the HTTP API and the long-running loops call, made once over the
// ports. `link_base` gives the service's public base URL for links in notifications and
// webhooks (it may only be known once the server listens).
#include <functional>
#include <string>

#include "app/accounts.hpp"
#include "app/job_ended_hook.hpp"
#include "app/presets.hpp"
#include "app/resumable_uploads.hpp"
#include "app/webhooks.hpp"
#include "main/ports_factory.hpp"
#include "main/service_config.hpp"

namespace imagesprint {

struct UseCases {
  UseCases(const ServiceConfig& config, Ports& ports, std::function<std::string()> link_base);
  UseCases(const UseCases&) = delete;
  UseCases& operator=(const UseCases&) = delete;

  Accounts accounts;
  Webhooks webhooks;
  Presets presets;
  ResumableUploads resumable_uploads;
  /// When a job ends (or expires): its webhook deliveries.
  JobEndedHook job_ended;
};

}  // namespace imagesprint
