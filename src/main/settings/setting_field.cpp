#include "main/settings/setting_field.hpp"

#include <sstream>

namespace imagesprint {

std::string setting_text(bool value) {
  return value ? "true" : "false";
}

std::string setting_text(int value) {
  return std::to_string(value);
}

std::string setting_text(std::int64_t value) {
  return std::to_string(value);
}

std::string setting_text(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

std::string setting_text(const std::string& value) {
  return value;
}

}  // namespace imagesprint
