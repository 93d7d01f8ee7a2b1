#pragma once
// Use cases of presets: a user's named conversion options. The name is client text (valid UTF-8,
// trimmed, without control characters, at most Preset::MAX_NAME_CODE_POINTS, unique per user);
// the options go through the same parser as a job's `options` part and are kept in their
// canonical JSON. A job may name a preset (by id or name) instead of sending options.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/clock.hpp"
#include "domain/expected.hpp"
#include "domain/field_error.hpp"
#include "domain/preset.hpp"
#include "ports/preset_store.hpp"

namespace imagesprint {

struct PresetSettings {
  static constexpr int DEFAULT_MAX_PER_USER = 50;
  static constexpr int MAX_MAX_PER_USER = 10'000;  // the most validate() accepts
  int max_per_user = DEFAULT_MAX_PER_USER;         // presets one account may have (429 beyond)
  /// Every bad setting, each by its name (the use case's constructor refuses them all at once).
  FieldErrors validate() const;
};

/// What a request gives: a create or PUT needs both, a PATCH either.
struct PresetInput {
  std::optional<std::string> name;
  std::optional<nlohmann::json> options;  // a JSON object of conversion options
};

class Presets {
 public:
  Presets(PresetStore& store, Clock now, PresetSettings settings = {});

  /// invalid_request naming "name" or "options", invalid_option naming "options.<field>",
  /// conflict naming "name" when taken, quota_exceeded naming "max_presets".
  Expected<Preset> create(std::int64_t user_id, const PresetInput& input);
  std::vector<Preset> list(std::int64_t user_id);
  std::optional<Preset> find(std::int64_t user_id, std::int64_t id);
  /// Changes what `input` gives; not_found when the user has no such preset.
  Expected<Preset> update(std::int64_t user_id, std::int64_t id, const PresetInput& input);
  bool remove(std::int64_t user_id, std::int64_t id);
  /// The preset a job names in its `preset` part: an id (digits) or a name. invalid_request
  /// naming "preset" when the user has none such.
  Expected<Preset> resolve(std::int64_t user_id, const std::string& reference);

  const PresetSettings& settings() const { return settings_; }

 private:
  PresetStore& store_;
  Clock now_;
  PresetSettings settings_;
};

}  // namespace imagesprint
