#pragma once
// A setting refused at start-up: which one, and what was expected and given. validate() returns
// all of them, so one run of the binary names every bad setting, not only the first.
#include <string>
#include <vector>

namespace imagesprint {

struct FieldError {
  std::string field;    // the setting's name, as in the TOML file ("max_files")
  std::string message;  // what was expected and what was given ("expected 1 to 1000, got 0")
};

using FieldErrors = std::vector<FieldError>;

}  // namespace imagesprint
