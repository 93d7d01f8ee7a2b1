#pragma once
// Use cases on an existing job, on behalf of its owner: cancel it, delete it, retry its failed
// images.
// Another user's job is not found, whatever it holds.
#include <cstdint>
#include <string>

#include "app/clock.hpp"
#include "domain/expected.hpp"
#include "domain/job.hpp"
#include "ports/job_store.hpp"
#include "ports/object_store.hpp"
#include "ports/task_queue.hpp"

namespace imagesprint {

struct JobActionDeps {
  JobStore& jobs;
  ObjectStore& objects;
  TaskQueue& queue;
  Clock now;
};

/// Cancels what is left of the job (workers skip the tasks of a canceled job), then removes its
/// objects and records. not_found when the user has no such job.
Expected<bool> delete_job(const JobActionDeps& deps, std::int64_t user_id,
                          const std::string& job_id);

/// Stops a running job: the images not converted yet are canceled, the finished ones are kept, and
/// a finalize task puts them in the job's ZIP (the job stays `canceled` and expires as any other).
/// conflict when the job has already finished; not_found when the user has no such job.
Expected<Job> cancel_job(const JobActionDeps& deps, std::int64_t user_id,
                         const std::string& job_id);

/// Puts a finished job's failed images back on the queue (the old archive goes: a new one is
/// made when they are done). conflict when the job is not finished, expired, canceled, or has
/// no failed image; not_found when the user has no such job.
Expected<Job> retry_job(const JobActionDeps& deps, std::int64_t user_id, const std::string& job_id);

}  // namespace imagesprint
