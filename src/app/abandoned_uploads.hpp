#pragma once
// Use case: the janitor's sweep of abandoned uploads. An upload whose process died (killed,
// crashed, its machine lost) leaves the objects it wrote and no job that names them; its record
// in the JobStore (begin_upload) outlives it. Once a record is older than the longest an upload
// can take, its upload is abandoned: its objects are removed, then its record.
#include <cstdint>

#include "ports/job_store.hpp"
#include "ports/object_store.hpp"

namespace imagesprint {

/// Removes the objects of the uploads begun before `before` that never became a job, at most
/// `batch` of them; returns how many uploads were removed. Safe to repeat after a crash halfway.
int remove_abandoned_uploads(JobStore& jobs, ObjectStore& objects, UnixMillis before,
                             int batch = 100);

}  // namespace imagesprint
