#include "main/use_cases.hpp"

#include <spdlog/spdlog.h>

#include "main/component_settings.hpp"

namespace imagesprint {

UseCases::UseCases(const ServiceConfig& config, Ports& ports,
                   std::function<std::string()> link_base)
    : accounts(*ports.accounts, *ports.secrets, accounts_settings(config), system_now,
               ports.rate_limiters),
      webhooks(WebhookDeps{*ports.webhooks, *ports.webhook_transport, *ports.objects,
                           *ports.notifications, *ports.events, *ports.secrets, system_now,
                           std::move(link_base), ports.jobs.get()},
               webhook_settings(config)),
      presets(*ports.presets, system_now, preset_settings(config)),
      resumable_uploads(ResumableUploadDeps{*ports.uploads, *ports.jobs, *ports.objects,
                                            *ports.secrets, system_now},
                        upload_limits(config),
                        ResumableUploadSettings{std::chrono::seconds(config.retention.upload_ttl),
                                                ResumableUploadSettings::DEFAULT_CLAIM}),
      job_ended([this](const Job& job, const std::string& event) {
        const int n = webhooks.job_event(job, event);
        if (n > 0) spdlog::debug("webhooks: {} delivery(ies) of {} for job {}", n, event, job.id);
      }) {}

}  // namespace imagesprint
