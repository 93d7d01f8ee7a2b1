#include "app/job_actions.hpp"

#include <vector>

#include "app/object_keys.hpp"
#include "domain/task.hpp"

namespace imagesprint {
namespace {

Error no_such_job() {
  return Error{ErrorCode::not_found, "no such job", {}, {}, false};
}

}  // namespace

Expected<bool> delete_job(const JobActionDeps& deps, std::int64_t user_id,
                          const std::string& job_id) {
  const auto job = deps.jobs.find_job(user_id, job_id);
  if (!job) return no_such_job();
  deps.jobs.cancel_job(job->id, deps.now());
  deps.objects.remove_prefix(object_keys::job_prefix(job->id));
  deps.jobs.delete_job(job->id);
  return true;
}

Expected<Job> cancel_job(const JobActionDeps& deps, std::int64_t user_id,
                         const std::string& job_id) {
  const auto job = deps.jobs.find_job(user_id, job_id);
  if (!job) return no_such_job();
  if (!deps.jobs.cancel_job(job->id, deps.now())) {
    return Error{ErrorCode::conflict, "the job has already finished", {}, {}, false};
  }
  // The worker's finalize puts what was done in the ZIP and sets the expiry.
  deps.queue.enqueue(Task::finalize_job(*job));
  return *deps.jobs.find_job(job->id);
}

Expected<Job> retry_job(const JobActionDeps& deps, std::int64_t user_id,
                        const std::string& job_id) {
  const auto job = deps.jobs.find_job(user_id, job_id);
  if (!job) return no_such_job();
  if (!is_finished(job->status) || job->status == JobStatus::expired ||
      job->status == JobStatus::canceled) {
    return Error{ErrorCode::conflict,
                 "only a finished job with failed images can be retried",
                 {},
                 {},
                 false};
  }
  const std::vector<int> indexes = deps.jobs.reset_failed_images(job->id);
  if (indexes.empty())
    return Error{ErrorCode::conflict, "the job has no failed images", {}, {}, false};
  std::vector<Task> tasks;
  for (const int i : indexes) tasks.push_back(Task::convert_image(*job, i));
  deps.objects.remove(object_keys::archive(job->id));
  deps.queue.enqueue_batch(tasks);
  return *deps.jobs.find_job(job->id);
}

}  // namespace imagesprint
