#include "domain/field_error.hpp"

#include <stdexcept>

namespace imagesprint {

std::string describe(const FieldErrors& errors) {
  std::string text;
  for (const FieldError& error : errors) {
    if (!text.empty()) text += '\n';
    text += "setting " + error.field + ": " + error.message;
  }
  return text;
}

void refuse(const FieldErrors& errors) {
  if (!errors.empty()) throw std::invalid_argument(describe(errors));
}

}  // namespace imagesprint
