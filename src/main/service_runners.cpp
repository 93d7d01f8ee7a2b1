#include "main/service_runners.hpp"

#include "adapters/zip/zip_archive_writer.hpp"
#include "app/runners.hpp"
#include "main/component_settings.hpp"
#include "main/service_metrics.hpp"

namespace imagesprint {

std::vector<std::unique_ptr<LoopThreads>> make_service_runners(const ServiceConfig& config,
                                                               Ports& ports, UseCases& use_cases,
                                                               prometheus::Registry& metrics) {
  const WorkerDeps worker{
      *ports.jobs,
      *ports.objects,
      *ports.queue,
      *ports.events,
      *ports.notifications,
      [](ArchiveSink sink) { return std::make_unique<ZipArchiveWriter>(std::move(sink)); },
      system_now,
      worker_metrics(metrics),
      use_cases.job_ended,
      ports.ready};
  const ExpiryDeps expiry{*ports.jobs,
                          *ports.objects,
                          *ports.notifications,
                          *ports.events,
                          system_now,
                          use_cases.job_ended,
                          std::chrono::seconds(config.retention.expiry_notice),
                          std::chrono::seconds(config.retention.keep_sources)};
  metrics.gauge_callback("imagesprint_janitor_active",
                         "1 when this process runs the deployment's janitor (one at a time)",
                         [&lease = *ports.janitor_lease] { return lease.held() ? 1.0 : 0.0; });
  std::vector<std::unique_ptr<LoopThreads>> runners;
  runners.push_back(make_worker_pool(worker, worker_settings(config), worker_threads(config),
                                     config.work.worker_nice));
  runners.push_back(make_janitor(expiry, *ports.accounts, janitor_settings(config),
                                 *ports.janitor_lease, &use_cases.resumable_uploads));
  runners.push_back(
      make_webhook_dispatcher(use_cases.webhooks, system_now, webhook_dispatcher_settings(config)));
  return runners;
}

}  // namespace imagesprint
