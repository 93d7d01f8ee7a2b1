#pragma once
// The service's long-running loops, each a runner with start()/stop() that the composition root
// (main/) starts after the ports are made and stops, in reverse order, after the HTTP server:
//   - the worker pool: converts images and finalizes jobs from the task queue;
//   - the janitor: expires results and old sessions every interval;
//   - the webhook dispatcher: sends the deliveries that are due.
#include <chrono>
#include <memory>

#include "app/expire_results.hpp"
#include "app/job_worker.hpp"
#include "app/loop_threads.hpp"
#include "app/resumable_uploads.hpp"
#include "app/webhooks.hpp"
#include "domain/field_error.hpp"
#include "ports/account_store.hpp"
#include "ports/leader_lease.hpp"

namespace imagesprint {

/// `threads` JobWorkers taking tasks from the queue (each waits in lease() for work), `nice`
/// levels below the caller's priority (LoopThreads). The libvips threads a conversion starts
/// inherit that priority, and before each task a worker lowers to it any libvips thread another
/// thread started (libvips shares its threads among all callers), so conversions yield the CPU to
/// the HTTP IO threads.
std::unique_ptr<LoopThreads> make_worker_pool(const WorkerDeps& deps,
                                              const WorkerSettings& settings, int threads,
                                              int nice = 0);

struct JanitorSettings {
  static constexpr std::chrono::seconds DEFAULT_INTERVAL{60};
  static constexpr std::chrono::seconds DEFAULT_ABANDONED_UPLOAD_AFTER{3600};

  /// Between sweeps; the janitor's lease lasts three of them (a holder that dies is replaced
  /// within three intervals).
  std::chrono::seconds interval = DEFAULT_INTERVAL;
  /// An upload this old that never became a job was abandoned (its process died): its objects
  /// go. Longer than the longest request may last (the service: request_timeout + 60 s).
  std::chrono::seconds abandoned_upload_after = DEFAULT_ABANDONED_UPLOAD_AFTER;

  /// Every bad field, by its setting's name (janitor_interval, abandoned_upload_after).
  FieldErrors validate() const;
};

/// Every `settings.interval`, while it holds `lease` (one janitor per deployment): expire due
/// results, remove the objects of abandoned uploads, delete expired sessions and (when given)
/// expired resumable uploads. Gives the lease up when stopped. Throws std::invalid_argument
/// naming every bad setting.
std::unique_ptr<LoopThreads> make_janitor(const ExpiryDeps& deps, AccountStore& accounts,
                                          const JanitorSettings& settings, LeaderLease& lease,
                                          ResumableUploads* uploads = nullptr);

struct WebhookDispatcherSettings {
  static constexpr int DEFAULT_THREADS = 2;
  static constexpr int MAX_THREADS = 64;

  int threads = DEFAULT_THREADS;  // deliveries attempted at once

  /// Every bad field, by its setting's name (webhook_dispatchers).
  FieldErrors validate() const;
};

/// `settings.threads` dispatchers sending the webhook deliveries that are due (a cheap read
/// first: claiming takes the store's write lock, so only what is due is claimed). Throws
/// std::invalid_argument naming every bad setting.
std::unique_ptr<LoopThreads> make_webhook_dispatcher(Webhooks& webhooks, Clock now,
                                                     const WebhookDispatcherSettings& settings);

}  // namespace imagesprint
