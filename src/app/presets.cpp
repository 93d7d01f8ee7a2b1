#include "app/presets.hpp"

#include <algorithm>
#include <stdexcept>

#include "domain/json_text.hpp"
#include "domain/options_json.hpp"
#include "domain/untrusted_text.hpp"

namespace imagesprint {
namespace {

Error invalid(const std::string& field, const std::string& message) {
  return Error{ErrorCode::invalid_request, field + ": " + message, field, {}, false};
}

/// The name as kept: valid UTF-8, no surrounding white space, no control characters, not empty,
/// not over the cap. A name is never cut: two long names would become one.
Expected<std::string> checked_name(const std::string& given) {
  if (!is_valid_utf8(given)) return invalid("name", "expected UTF-8 text");
  const auto first = given.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return invalid("name", "expected a non-empty name");
  const auto last = given.find_last_not_of(" \t\r\n");
  std::string name = given.substr(first, last - first + 1);
  const bool control = std::any_of(name.begin(), name.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
  if (control) return invalid("name", "control characters are not allowed");
  if (code_points(name) > Preset::MAX_NAME_CODE_POINTS) {
    return invalid("name", "at most " + std::to_string(Preset::MAX_NAME_CODE_POINTS) +
                               " characters, got " + std::to_string(code_points(name)));
  }
  return name;
}

/// The options through the job route's parser, kept as their canonical JSON. Fields are named
/// as they sit in the preset's body ("options.quality").
Expected<std::string> checked_options(const nlohmann::json& given) {
  if (!given.is_object()) return invalid("options", "expected a JSON object of options");
  auto parsed = parse_options(given);
  if (!parsed) {
    Error e = parsed.error();
    if (e.field != "options") {
      e.message = "options." + e.message;
      e.field = "options." + e.field;
    }
    return e;
  }
  return dump_json(to_json(parsed.value()));
}

Expected<Preset> settle(const PresetWriteResult& written, const Preset& wanted) {
  switch (written.outcome) {
    case PresetWrite::ok:
      return written.preset;
    case PresetWrite::name_taken:
      return Error{ErrorCode::conflict,
                   "name: you already have a preset named " + quote_prefix(wanted.name),
                   "name",
                   {},
                   false};
    case PresetWrite::over_limit:
      break;
    case PresetWrite::not_found:
      return Error{ErrorCode::not_found, "no such preset", "", {}, false};
  }
  return Error{ErrorCode::internal, "preset not saved", "", {}, false};
}

}  // namespace

FieldErrors PresetSettings::validate() const {
  if (max_per_user >= 1 && max_per_user <= MAX_MAX_PER_USER) return {};
  return {{"max_presets", "expected 1 to " + std::to_string(MAX_MAX_PER_USER) + ", got " +
                              std::to_string(max_per_user)}};
}

Presets::Presets(PresetStore& store, Clock now, PresetSettings settings)
    : store_(store), now_(std::move(now)), settings_(settings) {
  refuse(settings_.validate());
}

Expected<Preset> Presets::create(std::int64_t user_id, const PresetInput& input) {
  if (!input.name) return invalid("name", "expected the preset's name");
  if (!input.options) return invalid("options", "expected a JSON object of options");
  auto name = checked_name(*input.name);
  if (!name) return name.error();
  auto options = checked_options(*input.options);
  if (!options) return options.error();
  Preset preset;
  preset.user_id = user_id;
  preset.name = std::move(*name);
  preset.options = std::move(*options);
  preset.created_at = preset.updated_at = now_();
  const auto written = store_.create(preset, settings_.max_per_user);
  if (written.outcome == PresetWrite::over_limit) {
    // Retry-After: a slot frees when the user deletes one, not at a set time.
    return Error{ErrorCode::quota_exceeded,
                 "max_presets: an account has at most " + std::to_string(settings_.max_per_user) +
                     " presets; delete one first",
                 "max_presets",
                 {},
                 false,
                 60,
                 "error.quota_exceeded.max_presets",
                 {{"max", settings_.max_per_user}}};
  }
  return settle(written, preset);
}

std::vector<Preset> Presets::list(std::int64_t user_id) {
  return store_.list(user_id);
}

std::optional<Preset> Presets::find(std::int64_t user_id, std::int64_t id) {
  return store_.find(user_id, id);
}

Expected<Preset> Presets::update(std::int64_t user_id, std::int64_t id, const PresetInput& input) {
  auto preset = store_.find(user_id, id);
  if (!preset) return Error{ErrorCode::not_found, "no such preset", "", {}, false};
  if (input.name) {
    auto name = checked_name(*input.name);
    if (!name) return name.error();
    preset->name = std::move(*name);
  }
  if (input.options) {
    auto options = checked_options(*input.options);
    if (!options) return options.error();
    preset->options = std::move(*options);
  }
  preset->updated_at = now_();
  return settle(store_.update(*preset), *preset);
}

bool Presets::remove(std::int64_t user_id, std::int64_t id) {
  return store_.remove(user_id, id);
}

Expected<Preset> Presets::resolve(std::int64_t user_id, const std::string& reference) {
  const bool digits =
      !reference.empty() && reference.size() <= 18 &&
      std::all_of(reference.begin(), reference.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) {
    if (auto found = store_.find(user_id, std::stoll(reference))) return *found;
  }
  // A name as the form sends it: trimmed the same way it was saved.
  if (auto name = checked_name(reference)) {
    if (auto found = store_.find_by_name(user_id, *name)) return *found;
  }
  return invalid("preset", "no preset " + quote_prefix(reference) + " (expected its id or name)");
}

}  // namespace imagesprint
