#pragma once
// The one error value every layer passes around. Exceptions may fly inside the engine; they are
// turned into an Error in exactly one place (imaging/error_mapping.cpp). The HTTP layer maps the
// code to a status, the worker maps `retryable` to retry or fail.
#include <string>
#include <string_view>

#include "domain/messages.hpp"

namespace imagesprint {

enum class ErrorCode {
  invalid_option,          // an option value is out of range or of the wrong type (names the field)
  unsupported_format,      // the input is not an accepted image type (SVG, PDF, text, empty ...)
  too_many_pixels,         // the header announces more pixels than the limit allows
  too_large,               // the input has more bytes than the limit allows
  corrupt_image,           // the decoder failed: truncated data, broken header ...
  timeout,                 // the per-image time budget ran out
  invalid_request,         // a request is malformed (missing field, bad JSON ...); names the field
  unauthorized,            // no valid credentials
  not_found,               // no such resource for this user (another user's is "not found" too)
  conflict,                // the resource exists already (an email taken ...)
  idempotency_key_reused,  // an Idempotency-Key sent again with a different request (422)
  rate_limited,            // too many attempts; retry later
  quota_exceeded,          // a per-user limit (jobs, images, bytes, webhooks) is reached; names it
  unavailable,             // a dependency is down or the service is shutting down
  internal,                // anything else: a bug or a resource problem
};

/// Stable snake_case name of a code, used in JSON error bodies and logs.
std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;     // safe to show to the user
  std::string field;       // the option or input the error is about, empty if none
  std::string detail;      // internal detail for logs (decoder messages ...), never shown verbatim
  bool retryable = false;  // whether trying the same work again could succeed
  int retry_after = 0;     // seconds a client should wait before trying again (429/503); 0: unsaid
  /// The catalogue key of a message with numbers (domain/messages.hpp), e.g.
  /// "error.quota_exceeded.max_presets"; empty: the code's own sentence, "error.<code>".
  std::string message_key;
  /// The message's parameters (a JSON object: {"max": 50}); sent to clients as `params`.
  MessageParams params = MessageParams::object();
};

}  // namespace imagesprint
