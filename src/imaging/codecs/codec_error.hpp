#pragma once
#include <stdexcept>

namespace imagesprint {

/// A codec outside libvips could not read its input. imaging/error_mapping turns it into
/// ErrorCode::corrupt_image.
class CodecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace imagesprint
