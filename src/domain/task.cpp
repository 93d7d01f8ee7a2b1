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

Task Task::convert_image(const std::string& job_id, int index) {
  return Task{TaskKind::convert, job_id, index, "",
              "convert:" + job_id + ":" + std::to_string(index)};
}

Task Task::finalize_job(const std::string& job_id) {
  return Task{TaskKind::finalize, job_id, NO_IMAGE, "", "finalize:" + job_id};
}

}  // namespace imagesprint
