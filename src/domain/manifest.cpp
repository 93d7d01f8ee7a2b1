#include "domain/manifest.hpp"

#include <ctime>

#include "domain/options_json.hpp"

namespace imagesprint {

std::string iso8601(UnixMillis millis) {
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[40];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ",
                static_cast<int>(((millis % 1000) + 1000) % 1000));
  return buf;
}

nlohmann::json image_entry(const ImageRecord& image, const std::optional<InputPages>& pages) {
  const bool converted = image.status == ImageStatus::done;
  nlohmann::json entry = {
      {"index", image.index},
      {"source_name", image.source_name},
      {"output_name", converted ? nlohmann::json(image.output_name) : nlohmann::json()},
      {"status", to_string(image.status)},
      {"error", image.error_code.empty()
                    ? nlohmann::json()
                    : nlohmann::json{{"code", image.error_code}, {"message", image.error_message}}},
      {"input",
       {{"width", image.input_width}, {"height", image.input_height}, {"bytes", image.bytes_in}}},
      {"output", nullptr},
  };
  // Given, or as the record kept it once the image was converted.
  const auto used = pages ? pages
                    : image.input_pages > 0
                        ? std::optional<InputPages>(InputPages{image.input_pages, image.page_used})
                        : std::nullopt;
  if (used) {
    entry["input"]["pages"] = used->pages;
    entry["input"]["page"] = used->page ? nlohmann::json(*used->page) : nlohmann::json();
  }
  if (converted) {
    entry["output"] = {{"format", image.format},
                       {"width", image.width},
                       {"height", image.height},
                       {"bytes", image.bytes_out},
                       {"quality_used", image.quality_used ? nlohmann::json(*image.quality_used)
                                                           : nlohmann::json()},
                       {"blurhash", image.blurhash}};
  }
  return entry;
}

nlohmann::json job_manifest(const Job& job, const std::vector<ImageRecord>& images,
                            const std::vector<std::optional<InputPages>>& pages) {
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t i = 0; i < images.size(); ++i) {
    list.push_back(image_entry(images[i], i < pages.size() ? pages[i] : std::nullopt));
  }
  return {{"job",
           {{"id", job.id},
            {"name", job.name},
            {"status", to_string(job.status)},
            {"created_at", iso8601(job.created_at)},
            {"finished_at",
             job.finished_at ? nlohmann::json(iso8601(*job.finished_at)) : nlohmann::json()},
            {"options", to_json(job.options)}}},
          {"images", std::move(list)}};
}

}  // namespace imagesprint
