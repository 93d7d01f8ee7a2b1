#pragma once
// manifest.json, the first entry of a job's ZIP: what became of every uploaded image.
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/job.hpp"

namespace imagesprint {

/// {"job": {id, name, status, created_at, finished_at, options},
///  "images": [{index, source_name, output_name, status, error: {code, message} | null,
///              input: {width, height, bytes}, output: {format, width, height, bytes,
///              quality_used, blurhash} | null}]}
/// Images are listed in upload order. Timestamps are ISO 8601 UTC.
nlohmann::json job_manifest(const Job& job, const std::vector<ImageRecord>& images);

/// One entry of "images" above; the API's image object is this one plus its attempts.
nlohmann::json image_entry(const ImageRecord& image);

/// Milliseconds since the Unix epoch as ISO 8601 UTC ("2026-11-25T08:00:00.000Z").
std::string iso8601(UnixMillis millis);

}  // namespace imagesprint
