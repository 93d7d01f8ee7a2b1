#include "app/expire_results.hpp"
#include "domain/json_text.hpp"

#include "app/json_views.hpp"
#include "app/object_keys.hpp"
#include "app/user_events.hpp"

namespace imagesprint {

int expire_results(const ExpiryDeps& deps, int batch) {
  const UnixMillis now = deps.now();
  int expired = 0;
  for (const Job& job : deps.jobs.jobs_to_expire(now, batch)) {
    // Objects first: if this dies halfway, the job is still due and the next sweep finishes it.
    deps.objects.remove_prefix(object_keys::job_prefix(job.id));
    Job ended = job;
    ended.status = JobStatus::expired;
    if (deps.job_ended) deps.job_ended(ended, "job.expired");
    deps.jobs.set_status(job.id, JobStatus::expired);
    const Notification n = deps.notifications.add(
        job.user_id, "RESULT_EXPIRED", job.id,
        "The results of job \"" + job.name + "\" expired and were deleted", now);
    publish(deps.events, NotificationEvent{n});
    ++expired;
  }
  return expired;
}

}  // namespace imagesprint
