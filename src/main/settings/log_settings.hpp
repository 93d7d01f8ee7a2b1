#pragma once
// Settings of the process's log.
#include <span>
#include <string>

#include "main/settings/setting_field.hpp"

namespace imagesprint {

struct LogSettings {
  static constexpr const char* DEFAULT_LOG_LEVEL = "info";

  std::string log_level = DEFAULT_LOG_LEVEL;  // trace, debug, info, warn, error

  static std::span<const SettingField<LogSettings>> fields();
  FieldErrors validate() const { return check_fields(*this); }
};

}  // namespace imagesprint
