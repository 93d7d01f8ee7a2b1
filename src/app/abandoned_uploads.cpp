#include "app/abandoned_uploads.hpp"

#include "app/object_keys.hpp"

namespace imagesprint {

int remove_abandoned_uploads(JobStore& jobs, ObjectStore& objects, UnixMillis before, int batch) {
  int removed = 0;
  // Marked abandoned first, so a slow upload that finishes now cannot become a job whose inputs
  // are being removed (create_job refuses it); the record goes last, so if this dies halfway the
  // next sweep finds the upload again.
  for (const std::string& job_id : jobs.abandon_uploads(before, batch)) {
    // An upload whose images were converting has a job record (`uploading`): canceled first, so
    // that workers stop, and removed after its objects, as a failed upload does (JobUpload).
    const auto job = jobs.find_job(job_id);
    const bool converting = job && job->status == JobStatus::uploading;
    if (converting) jobs.cancel_job(job_id, before);
    objects.remove_prefix(object_keys::job_prefix(job_id));
    if (job && (converting || job->status == JobStatus::canceled)) jobs.delete_job(job_id);
    jobs.end_upload(job_id);
    ++removed;
  }
  return removed;
}

}  // namespace imagesprint
