#include "domain/error.hpp"

namespace imagesprint {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_option:
      return "invalid_option";
    case ErrorCode::unsupported_format:
      return "unsupported_format";
    case ErrorCode::too_many_pixels:
      return "too_many_pixels";
    case ErrorCode::too_large:
      return "too_large";
    case ErrorCode::corrupt_image:
      return "corrupt_image";
    case ErrorCode::timeout:
      return "timeout";
    case ErrorCode::invalid_request:
      return "invalid_request";
    case ErrorCode::unauthorized:
      return "unauthorized";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::idempotency_key_reused:
      return "idempotency_key_reused";
    case ErrorCode::rate_limited:
      return "rate_limited";
    case ErrorCode::quota_exceeded:
      return "quota_exceeded";
    case ErrorCode::unavailable:
      return "unavailable";
    case ErrorCode::internal:
      return "internal";
  }
  return "internal";
}

}  // namespace imagesprint
