#pragma once
// Tasks: the units of work that go through the TaskQueue. One `convert` task per image; one
// `finalize` task per job once its last image is recorded. Plain data, no I/O.
#include <optional>
#include <string>

#include <string_view>
#include "domain/job.hpp"

namespace imagesprint {

enum class TaskKind {
  convert,   // convert one image of a job (image_index says which)
  finalize,  // build the job's ZIP and summary, notify (image_index is NO_IMAGE)
};

std::string_view to_string(TaskKind kind);
std::optional<TaskKind> parse_task_kind(std::string_view name);

struct Task {
  static constexpr int NO_IMAGE = -1;

  TaskKind kind = TaskKind::convert;
  std::string job_id;
  int image_index = NO_IMAGE;  // 0-based image of the job for `convert`; NO_IMAGE otherwise
  std::string payload;         // opaque to the queue (JSON by convention); may be empty
  // While a task with the same non-empty key is waiting or leased, enqueueing another one with
  // that key does nothing: a redelivered `convert` that enqueues "finalize:<job>" again, or a
  // start-up sweep that re-enqueues unfinished images, cannot double the work. Empty: no check.
  std::string dedupe_key;
  // Whose work this is (the job owner's user id). The queue serves groups round-robin, each
  // group's tasks first in, first out, so one user's 50-image job cannot hold up another
  // user's single image. Tasks with an empty group form one group together.
  std::string group;

  bool operator==(const Task&) const = default;

  /// The task that converts image `index` of `job`, with its dedupe key
  /// "convert:<job>:<index>", in the owner's group.
  static Task convert_image(const Job& job, int index);
  /// The task that finalizes `job`, with its dedupe key "finalize:<job>", in the owner's group.
  static Task finalize_job(const Job& job);
};

}  // namespace imagesprint
