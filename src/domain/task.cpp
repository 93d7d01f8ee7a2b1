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

}  // namespace imagesprint
