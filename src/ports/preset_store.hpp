#pragma once
// Port: the users' presets. Names are unique per user and the count per user is capped; both are
// checked in the same transaction as the write, so two requests at once cannot get past them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/preset.hpp"

namespace imagesprint {

/// What a write did.
enum class PresetWrite {
  ok,          // saved; `preset` holds it (with its id)
  name_taken,  // the user has another preset of that name
  over_limit,  // the user has max_per_user presets already (create only)
  not_found,   // the user has no such preset (update only)
};

struct PresetWriteResult {
  PresetWrite outcome = PresetWrite::ok;
  Preset preset;
};

class PresetStore {
 public:
  virtual ~PresetStore() = default;

  /// Stores a new preset unless its name is taken or the user has `max_per_user` already.
  virtual PresetWriteResult create(const Preset& preset, int max_per_user) = 0;
  /// The user's presets, by name (byte order).
  virtual std::vector<Preset> list(std::int64_t user_id) = 0;
  /// nullopt when the user has no such preset (another user's is "no such").
  virtual std::optional<Preset> find(std::int64_t user_id, std::int64_t id) = 0;
  virtual std::optional<Preset> find_by_name(std::int64_t user_id, const std::string& name) = 0;
  /// Saves name, options and updated_at of the user's preset `preset.id`.
  virtual PresetWriteResult update(const Preset& preset) = 0;
  /// false when the user has no such preset.
  virtual bool remove(std::int64_t user_id, std::int64_t id) = 0;
};

}  // namespace imagesprint
