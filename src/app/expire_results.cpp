#include "app/expire_results.hpp"
#include "domain/json_text.hpp"

#include "app/json_views.hpp"
#include "app/notices.hpp"
#include "app/object_keys.hpp"
#include "app/user_events.hpp"
#include "domain/manifest.hpp"

namespace imagesprint {

int expire_results(const ExpiryDeps& deps, int batch) {
  const UnixMillis now = deps.now();
  int expired = 0;
  for (const Job& job : deps.jobs.jobs_to_expire(now, batch)) {
    // Objects first: if this dies halfway, the job is still due and the next sweep finishes it.
    if (deps.keep_sources.count() > 0) {
      // Marked before anything goes, so files left by a crash are still found and purged.
      deps.jobs.set_sources_kept(job.id, true);
      deps.objects.remove_prefix(object_keys::outputs_prefix(job.id));
      deps.objects.remove_prefix(object_keys::thumbnails_prefix(job.id));
      deps.objects.remove(object_keys::archive(job.id));
    } else {
      deps.objects.remove_prefix(object_keys::job_prefix(job.id));
    }
    Job ended = job;
    ended.status = JobStatus::expired;
    if (deps.job_ended) deps.job_ended(ended, "job.expired");
    deps.jobs.set_status(job.id, JobStatus::expired);
    const Notification n = add_notice(deps.notifications, job.user_id, "RESULT_EXPIRED", job.id,
                                      {{"name", job.name}}, now);
    publish(deps.events, NotificationEvent{n});
    ++expired;
  }
  return expired;
}

int purge_kept_sources(const ExpiryDeps& deps, int batch) {
  const UnixMillis cut =
      deps.now() - std::chrono::duration_cast<std::chrono::milliseconds>(deps.keep_sources).count();
  int purged = 0;
  for (const Job& job : deps.jobs.jobs_with_kept_sources(cut, batch)) {
    deps.objects.remove_prefix(object_keys::job_prefix(job.id));
    deps.jobs.set_sources_kept(job.id, false);
    ++purged;
  }
  return purged;
}

int warn_of_expiry(const ExpiryDeps& deps, int batch) {
  if (deps.notice_before.count() <= 0) return 0;
  const UnixMillis now = deps.now();
  const UnixMillis horizon =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(deps.notice_before).count();
  int sent = 0;
  for (const Job& job : deps.jobs.jobs_to_warn_of_expiry(now, horizon, batch)) {
    if (!job.expires_at || !deps.jobs.claim_expiry_warning(job.id)) continue;
    // Whole minutes, rounded up: "in 2 hours", not "in 1 hour 59 minutes" a second after.
    const long long remaining = (*job.expires_at - now + 59'999) / 60'000 * 60;
    const Notification n = add_notice(
        deps.notifications, job.user_id, "RESULT_EXPIRING", job.id,
        {{"name", job.name}, {"remaining", remaining}, {"expires_at", iso8601(*job.expires_at)}},
        now);
    publish(deps.events, NotificationEvent{n});
    ++sent;
  }
  return sent;
}

}  // namespace imagesprint
