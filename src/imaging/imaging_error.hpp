#pragma once
// Exceptions inside the engine, and the one function that turns any of them into an Error.
#include <exception>
#include <stdexcept>
#include <string>

#include "domain/error.hpp"

namespace imagesprint {

/// A condition a step recognised itself (a limit, an unsupported input ...).
class ImagingError : public std::runtime_error {
 public:
  ImagingError(ErrorCode code, std::string message, std::string field = {})
      : std::runtime_error(message), code_(code), field_(std::move(field)) {}
  ErrorCode code() const { return code_; }
  const std::string& field() const { return field_; }

 private:
  ErrorCode code_;
  std::string field_;
};

/// Maps whatever escaped the pipeline (ImagingError, vips::VError, CodecError, bad_alloc ...) to
/// an Error. `timed_out` says whether the per-image deadline had passed when it failed.
Error to_error(std::exception_ptr failure, bool timed_out);

}  // namespace imagesprint
