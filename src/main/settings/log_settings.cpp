#include "main/settings/log_settings.hpp"

#include <array>

namespace imagesprint {
namespace {

using Field = SettingField<LogSettings>;

const std::array FIELDS{
    Field{.name = "log_level",
          .help = "trace, debug, info, warn or error",
          .member = &LogSettings::log_level,
          .expected = "trace, debug, info, warn or error",
          .accepts =
              [](const LogSettings& s) {
                return s.log_level == "trace" || s.log_level == "debug" || s.log_level == "info" ||
                       s.log_level == "warn" || s.log_level == "error";
              }},
};

}  // namespace

std::span<const SettingField<LogSettings>> LogSettings::fields() {
  return FIELDS;
}

}  // namespace imagesprint
