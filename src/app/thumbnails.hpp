#pragma once
// Small pictures of a job's images for its page: "before" (the upload) and "after" (the
// output), rendered by the engine as WebP once per size and kept among the job's objects, so a
// second view costs a file read and expiry or deletion removes them with the rest. Browsers
// cannot show every input (HEIC, TIFF), and a 20 MB original is no thumbnail.
#include <array>
#include <string>

#include "domain/expected.hpp"
#include "imaging/engine.hpp"
#include "ports/object_store.hpp"

namespace imagesprint {

/// The longer sides offered, in pixels: a few fixed sizes, so stored renders stay bounded.
inline constexpr std::array<int, 4> THUMBNAIL_SIZES{128, 256, 512, 1024};

enum class ThumbnailOf { input, output };

bool is_thumbnail_size(int size);

/// The key of the thumbnail of image `index` of job `job_id`, rendering and storing it first if
/// there is none yet. Errors: not_found when the image's object is gone, or the engine's error
/// (a broken upload has no thumbnail).
Expected<std::string> ensure_thumbnail(ObjectStore& objects, const std::string& job_id, int index,
                                       ThumbnailOf of, int size, const EngineLimits& limits = {});

}  // namespace imagesprint
