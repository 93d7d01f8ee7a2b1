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

/// Every `interval`, while it holds `lease` (one janitor per deployment): expire due results,
/// remove the objects of uploads older than `abandoned_upload_after` that never became a job,
/// delete expired sessions and (when given) expired resumable uploads. Gives the lease up when
/// stopped.
std::unique_ptr<LoopThreads> make_janitor(const ExpiryDeps& deps, AccountStore& accounts,
                                          std::chrono::seconds interval,
                                          std::chrono::seconds abandoned_upload_after,
                                          LeaderLease& lease, ResumableUploads* uploads = nullptr);

/// `threads` dispatchers sending the webhook deliveries that are due (a cheap read first:
/// claiming takes the store's write lock, so only what is due is claimed).
std::unique_ptr<LoopThreads> make_webhook_dispatcher(Webhooks& webhooks, Clock now, int threads);

}  // namespace imagesprint
