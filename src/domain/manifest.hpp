#pragma once
// manifest.json, the first entry of a job's ZIP: what became of every uploaded image.
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/job.hpp"

namespace imagesprint {

/// How a multi-page input was used: the engine's ConversionResult says it (input.pages, page).
struct InputPages {
  int pages = 1;                // pages of a document, images of a HEIF collection or frames of
                                // an animation, in the input
  std::optional<int> page = 0;  // the one converted (0-based); none when every frame was kept
};

/// {"job": {id, name, status, created_at, finished_at, options},
///  "images": [{index, source_name, output_name, status, error: {code, message} | null,
///              input: {width, height, bytes, pages?, page?}, output: {format, width, height,
///              bytes, quality_used, blurhash} | null}]}
/// Images are listed in upload order. Timestamps are ISO 8601 UTC. `pages` and `page` (null when
/// every frame of an animation was kept) are written for the images whose InputPages are given:
/// `pages[i]` belongs to `images[i]`.
nlohmann::json job_manifest(const Job& job, const std::vector<ImageRecord>& images,
                            const std::vector<std::optional<InputPages>>& pages = {});

/// One entry of "images" above; the API's image object is this one plus its attempts.
nlohmann::json image_entry(const ImageRecord& image,
                           const std::optional<InputPages>& pages = std::nullopt);

/// Milliseconds since the Unix epoch as ISO 8601 UTC ("2026-11-25T08:00:00.000Z").
std::string iso8601(UnixMillis millis);

}  // namespace imagesprint
