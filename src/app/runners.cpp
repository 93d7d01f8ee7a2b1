#include "app/runners.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "app/abandoned_uploads.hpp"
#include "app/thread_priority.hpp"
#include "imaging/engine.hpp"

namespace imagesprint {

using std::chrono::milliseconds;

// What libvips names the threads of its pool (libvips/iofuncs/threadset.c), which run the pixel
// work of every conversion.
constexpr std::string_view LIBVIPS_THREAD_NAME = "libvips worker";

std::unique_ptr<LoopThreads> make_worker_pool(const WorkerDeps& deps,
                                              const WorkerSettings& settings, int threads,
                                              int nice) {
  return std::make_unique<LoopThreads>(
      "worker", threads,
      [deps, settings]() -> LoopThreads::Step {
        auto worker = std::make_shared<JobWorker>(deps, settings);
        // lease() itself waits for a task (poll_wait), so a step goes straight on to the next,
        // unless the stores are out.
        return [worker] {
          // libvips' pool threads are shared by everything in the process that calls libvips,
          // and keep the priority of whichever thread started them (a preview on the HTTP
          // blocking pool, say); a conversion must not run its pixels above the workers.
          lower_threads_to_own_priority(LIBVIPS_THREAD_NAME);
          return worker->step();
        };
      },
      [] { release_thread_resources(); }, nice);
}

FieldErrors JanitorSettings::validate() const {
  FieldErrors errors;
  if (interval < std::chrono::seconds(1)) {
    errors.push_back({"janitor_interval", "expected at least 1 second"});
  }
  if (abandoned_upload_after < std::chrono::seconds(1)) {
    errors.push_back({"abandoned_upload_after", "expected at least 1 second"});
  }
  return errors;
}

FieldErrors WebhookDispatcherSettings::validate() const {
  if (threads >= 1 && threads <= MAX_THREADS) return {};
  return {{"webhook_dispatchers",
           "expected 1 to " + std::to_string(MAX_THREADS) + ", got " + std::to_string(threads)}};
}

std::unique_ptr<LoopThreads> make_janitor(const ExpiryDeps& deps, AccountStore& accounts,
                                          const JanitorSettings& settings, LeaderLease& lease,
                                          ResumableUploads* uploads) {
  refuse(settings.validate());
  const std::chrono::seconds interval = settings.interval;
  // Held for three sweeps: a holder that dies is replaced within three intervals.
  const auto length = std::chrono::duration_cast<milliseconds>(3 * interval);
  const UnixMillis abandoned_after = milliseconds(settings.abandoned_upload_after).count();
  return std::make_unique<LoopThreads>(
      "janitor", 1,
      [deps, &accounts, interval, &lease, length, abandoned_after, uploads]() -> LoopThreads::Step {
        return [deps, &accounts, interval, &lease, length, abandoned_after, uploads] {
          // Only one process of a deployment sweeps; the others stand by.
          if (lease.hold(length)) {
            if (const int n = warn_of_expiry(deps))
              spdlog::info("janitor: {} job(s) told their results expire soon", n);
            if (const int n = expire_results(deps)) spdlog::info("janitor: {} job(s) expired", n);
            if (const int n = remove_abandoned_uploads(deps.jobs, deps.objects,
                                                       deps.now() - abandoned_after)) {
              spdlog::info("janitor: removed the objects of {} abandoned upload(s)", n);
            }
            if (const int n = purge_kept_sources(deps))
              spdlog::info("janitor: the kept uploads of {} expired job(s) removed", n);
            accounts.delete_expired_sessions(deps.now());
            if (uploads) {
              if (const int n = uploads->expire()) spdlog::info("janitor: {} upload(s) expired", n);
            }
          }
          return std::chrono::duration_cast<milliseconds>(interval);
        };
      },
      [&lease] { lease.release(); });
}

std::unique_ptr<LoopThreads> make_webhook_dispatcher(Webhooks& webhooks, Clock now,
                                                     const WebhookDispatcherSettings& settings) {
  refuse(settings.validate());
  return std::make_unique<LoopThreads>(
      "webhooks", settings.threads, [&webhooks, now]() -> LoopThreads::Step {
        return [&webhooks, now] {
          constexpr milliseconds IDLE{250};
          const auto due = webhooks.next_due();
          const auto at = now();
          if (due && *due <= at) return webhooks.deliver_one() ? milliseconds(0) : IDLE;
          return due ? std::clamp(milliseconds(*due - at), milliseconds(1), IDLE) : IDLE;
        };
      });
}

}  // namespace imagesprint
