#pragma once
// A preset: a named set of conversion options a user saved to reuse (the upload form's picker,
// or a job's `preset` part instead of inline options). Plain record, no I/O.
#include <cstdint>
#include <string>

#include "domain/job.hpp"

namespace imagesprint {

struct Preset {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string name;     // UTF-8, unique per user, at most MAX_NAME_CODE_POINTS code points
  std::string options;  // the canonical JSON of its ConversionOptions (validated when saved)
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;

  /// Longest name, in code points (a longer one is refused, never cut: names must stay unique).
  static constexpr std::size_t MAX_NAME_CODE_POINTS = 100;
};

}  // namespace imagesprint
