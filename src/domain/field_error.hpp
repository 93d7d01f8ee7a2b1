#pragma once
// A setting refused: which one, and what was expected and given. A component's validate() returns
// all of them, so one start of the binary names every bad setting, not only the first.
#include <string>
#include <vector>

namespace imagesprint {

struct FieldError {
  std::string field;    // the setting's name, as in the TOML file ("max_files")
  std::string message;  // what was expected and what was given ("expected 1 to 1000, got 0")
};

using FieldErrors = std::vector<FieldError>;

/// "setting NAME: MESSAGE", one line per error.
std::string describe(const FieldErrors& errors);

/// Throws std::invalid_argument with describe(errors) when there are any (for a constructor that
/// refuses bad settings).
void refuse(const FieldErrors& errors);

}  // namespace imagesprint
