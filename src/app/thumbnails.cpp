#include "app/thumbnails.hpp"

#include <algorithm>

#include "app/object_keys.hpp"

namespace imagesprint {

bool is_thumbnail_size(int size) {
  return std::find(THUMBNAIL_SIZES.begin(), THUMBNAIL_SIZES.end(), size) != THUMBNAIL_SIZES.end();
}

Expected<std::string> ensure_thumbnail(ObjectStore& objects, const std::string& job_id, int index,
                                       ThumbnailOf of, int size, const EngineLimits& limits) {
  const bool input = of == ThumbnailOf::input;
  const std::string key = object_keys::thumbnail(job_id, input ? "in" : "out", index, size);
  if (objects.stat(key)) return key;

  const auto source =
      objects.get(input ? object_keys::input(job_id, index) : object_keys::output(job_id, index));
  if (!source) return Error{ErrorCode::not_found, "no such image", {}, {}, false};
  ConversionOptions options;
  options.width = size;
  options.height = size;
  options.fit = Fit::inside;
  options.format = OutputFormat::webp;
  options.quality = 75;
  options.effort = 2;  // a thumbnail: speed over the last few bytes
  options.metadata = MetadataPolicy::strip;
  auto result = convert({*source, {}}, options, limits);
  if (!result) return result.error();
  // Two requests at once may both render; the store's atomic put keeps one whole file.
  objects.put(key, result->bytes);
  return key;
}

}  // namespace imagesprint
