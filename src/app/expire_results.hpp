#pragma once
// Use case: the janitor's sweep. Results are kept for a configurable time (24 h by default, as in
// the seed); then every object of the job is deleted, the job becomes `expired`, and its owner is
// notified in the app and live.
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
};

/// Expires the jobs that are due, at most `batch` of them; returns how many.
int expire_results(const ExpiryDeps& deps, int batch = 100);

}  // namespace imagesprint
