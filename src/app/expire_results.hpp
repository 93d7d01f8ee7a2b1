#pragma once
// Use case: the janitor's sweep. Results are kept for a configurable time (24 h by default, as in
// the seed); then every object of the job is deleted, the job becomes `expired`, and its owner is
// notified in the app and live.
#include <chrono>

#include "app/clock.hpp"
#include "app/job_ended_hook.hpp"
#include "ports/event_bus.hpp"
#include "ports/job_store.hpp"
#include "ports/notification_store.hpp"
#include "ports/object_store.hpp"

namespace imagesprint {

struct ExpiryDeps {
  JobStore& jobs;
  ObjectStore& objects;
  NotificationStore& notifications;
  EventBus& events;
  Clock now;
  /// Called with "job.expired" for each job before its state changes (webhook deliveries are
  /// persisted there, so a crash afterwards cannot lose them). Optional.
  JobEndedHook job_ended;
  /// How long before its results expire a job's owner is told so (RESULT_EXPIRING); 0: never.
  std::chrono::seconds notice_before{0};
  /// How long the uploaded files (and logo) of an expired job are kept after its results, so it
  /// can be converted again (convert_again.hpp); 0: they go with the results.
  std::chrono::seconds keep_sources{0};
};

/// Expires the jobs that are due, at most `batch` of them; returns how many. With keep_sources
/// the uploaded files stay (and are removed by purge_kept_sources once that time has passed).
int expire_results(const ExpiryDeps& deps, int batch = 100);

/// Removes the uploaded files of expired jobs kept longer than keep_sources; returns how many
/// jobs' files went.
int purge_kept_sources(const ExpiryDeps& deps, int batch = 100);

/// Tells the owners of jobs whose results expire within `notice_before` (at most `batch` jobs),
/// once per job: the job store's claim decides, so a sweep repeated, or run by two janitors at
/// once, never sends it twice (a crash between the claim and the notification loses that one
/// notice rather than doubling it). Returns how many were sent.
int warn_of_expiry(const ExpiryDeps& deps, int batch = 100);

}  // namespace imagesprint
