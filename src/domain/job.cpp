#include "domain/job.hpp"

#include <array>
#include <utility>

namespace imagesprint {
namespace {

constexpr std::array<std::pair<JobStatus, std::string_view>, 8> JOB_NAMES{{
    {JobStatus::uploading, "uploading"},
    {JobStatus::queued, "queued"},
    {JobStatus::processing, "processing"},
    {JobStatus::done, "done"},
    {JobStatus::partial, "partial"},
    {JobStatus::failed, "failed"},
    {JobStatus::canceled, "canceled"},
    {JobStatus::expired, "expired"},
}};

constexpr std::array<std::pair<ImageStatus, std::string_view>, 5> IMAGE_NAMES{{
    {ImageStatus::queued, "queued"},
    {ImageStatus::processing, "processing"},
    {ImageStatus::done, "done"},
    {ImageStatus::failed, "failed"},
    {ImageStatus::canceled, "canceled"},
}};

}  // namespace

std::string_view to_string(JobStatus status) {
  for (const auto& [s, name] : JOB_NAMES) {
    if (s == status) return name;
  }
  return "queued";
}

std::string_view to_string(ImageStatus status) {
  for (const auto& [s, name] : IMAGE_NAMES) {
    if (s == status) return name;
  }
  return "queued";
}

std::optional<JobStatus> parse_job_status(std::string_view name) {
  for (const auto& [s, n] : JOB_NAMES) {
    if (n == name) return s;
  }
  return std::nullopt;
}

std::optional<ImageStatus> parse_image_status(std::string_view name) {
  for (const auto& [s, n] : IMAGE_NAMES) {
    if (n == name) return s;
  }
  return std::nullopt;
}

bool is_finished(JobStatus status) {
  return status != JobStatus::uploading && status != JobStatus::queued &&
         status != JobStatus::processing;
}

JobStatus final_status(int total, int done, int failed) {
  if (done + failed < total) return done + failed > 0 ? JobStatus::processing : JobStatus::queued;
  if (failed == 0) return JobStatus::done;
  return done == 0 ? JobStatus::failed : JobStatus::partial;
}

}  // namespace imagesprint
