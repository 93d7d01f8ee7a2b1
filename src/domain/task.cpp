#include "domain/task.hpp"

namespace imagesprint {

std::string_view to_string(TaskKind kind) {
  switch (kind) {
    case TaskKind::convert:
      return "convert";
    case TaskKind::finalize:
      return "finalize";
  }
  return "convert";
}

std::optional<TaskKind> parse_task_kind(std::string_view name) {
  if (name == "convert") return TaskKind::convert;
  if (name == "finalize") return TaskKind::finalize;
  return std::nullopt;
}

Task Task::convert_image(const Job& job, int index) {
  return Task{TaskKind::convert,
              job.id,
              index,
              "",
              "convert:" + job.id + ":" + std::to_string(index),
              std::to_string(job.user_id)};
}

Task Task::finalize_job(const Job& job) {
  return Task{TaskKind::finalize,         job.id, NO_IMAGE, "", "finalize:" + job.id,
              std::to_string(job.user_id)};
}

}  // namespace imagesprint
