#include "app/json_views.hpp"

#include "domain/manifest.hpp"
#include "domain/options_json.hpp"

namespace imagesprint {
namespace {

nlohmann::json time_or_null(const std::optional<UnixMillis>& t) {
  return t ? nlohmann::json(iso8601(*t)) : nlohmann::json();
}

}  // namespace

nlohmann::json user_json(const User& user) {
  return {{"id", user.id}, {"email", user.email}, {"created_at", iso8601(user.created_at)}};
}

nlohmann::json api_key_json(const ApiKey& key) {
  return {{"id", key.id},
          {"name", key.name},
          {"prefix", "isk_" + key.prefix},
          {"created_at", iso8601(key.created_at)},
          {"last_used_at", time_or_null(key.last_used_at)}};
}

nlohmann::json image_json(const ImageRecord& i) {
  const bool converted = i.status == ImageStatus::done;
  nlohmann::json out = {
      {"index", i.index},
      {"source_name", i.source_name},
      {"output_name", converted ? nlohmann::json(i.output_name) : nlohmann::json()},
      {"status", to_string(i.status)},
      {"error", i.error_code.empty()
                    ? nlohmann::json()
                    : nlohmann::json{{"code", i.error_code}, {"message", i.error_message}}},
      {"input", {{"width", i.input_width}, {"height", i.input_height}, {"bytes", i.bytes_in}}},
      {"output", nullptr},
      {"attempts", i.attempts},
  };
  if (converted) {
    out["output"] = {
        {"format", i.format},
        {"width", i.width},
        {"height", i.height},
        {"bytes", i.bytes_out},
        {"quality_used", i.quality_used ? nlohmann::json(*i.quality_used) : nlohmann::json()},
        {"blurhash", i.blurhash}};
  }
  return out;
}

nlohmann::json job_json(const Job& job, const std::vector<ImageRecord>* images) {
  nlohmann::json out = {
      {"id", job.id},
      {"name", job.name},
      {"status", to_string(job.status)},
      {"total", job.total},
      {"done", job.done},
      {"failed", job.failed},
      {"bytes_in", job.bytes_in},
      {"bytes_out", job.bytes_out},
      {"options", to_json(job.options)},
      {"created_at", iso8601(job.created_at)},
      {"started_at", time_or_null(job.started_at)},
      {"finished_at", time_or_null(job.finished_at)},
      {"expires_at", time_or_null(job.expires_at)},
      {"duration_ms", job.started_at && job.finished_at
                          ? nlohmann::json(*job.finished_at - *job.started_at)
                          : nlohmann::json()},
  };
  if (images) {
    nlohmann::json list = nlohmann::json::array();
    for (const ImageRecord& i : *images) list.push_back(image_json(i));
    out["images"] = std::move(list);
  }
  return out;
}

nlohmann::json notification_json(const Notification& n) {
  return {{"id", n.id},
          {"type", n.type},
          {"job_id", n.job_id.empty() ? nlohmann::json() : nlohmann::json(n.job_id)},
          {"message", n.message},
          {"read", n.read},
          {"created_at", iso8601(n.created_at)}};
}

nlohmann::json progress_json(const Job& job, const ImageRecord& image) {
  return {{"job_id", job.id},
          {"done", job.done},
          {"failed", job.failed},
          {"total", job.total},
          {"status", to_string(job.status)},
          {"image", image_json(image)}};
}

}  // namespace imagesprint
