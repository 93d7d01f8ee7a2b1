#pragma once
// Errors at the HTTP edge. Every error response has one JSON shape:
//   {"error": {"code": "not_found", "message": "No route for GET /x", "field": "id",
//              "params": {...}}}
// `code` is a stable snake_case name clients can branch on, `message` is safe to show (in the
// request's language: see Response::localize), `field` (present only when the error is about one
// input) names that input, `params` (present only when there are some) the message's numbers.
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "adapters/http/http_types.hpp"
#include "domain/error.hpp"

namespace imagesprint::http {

/// Thrown by a handler (or by the body reader) to answer with a JSON error; the session turns it
/// into the response, so a handler can bail out from deep inside without building one itself.
class HttpError : public std::runtime_error {
 public:
  HttpError(Status status, std::string code, const std::string& message, std::string field = {});
  /// An error with the default code of `status` (see default_error_code).
  HttpError(Status status, const std::string& message);

  Status status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& field() const { return field_; }
  /// Seconds the client should wait (the Retry-After header of a 429 or 503); 0: none sent.
  int retry_after() const { return retry_after_; }
  HttpError& with_retry_after(int seconds) {
    retry_after_ = seconds;
    return *this;
  }
  /// A catalogue message with numbers (domain/messages.hpp) and its parameters.
  HttpError& with_message(std::string key, nlohmann::json params) {
    message_key_ = std::move(key);
    params_ = std::move(params);
    return *this;
  }
  const std::string& message_key() const { return message_key_; }
  const nlohmann::json& params() const { return params_; }

 private:
  Status status_;
  std::string code_;
  std::string field_;
  int retry_after_ = 0;
  std::string message_key_;
  nlohmann::json params_ = nlohmann::json::object();
};

/// The stable code used when a caller gives none: 404 -> "not_found", 413 -> "payload_too_large".
std::string_view default_error_code(Status status);

/// The JSON text of an error body (see the shape above); `field` is left out when empty, and
/// `params` (the message's numbers and names, {"max": 50}) when it is empty.
std::string error_json(std::string_view code, std::string_view message, std::string_view field,
                       const nlohmann::json& params = nlohmann::json::object());

/// The status for a domain error: invalid_request 400, unauthorized 401, not_found 404,
/// conflict 409, too_large and too_many_pixels 413, unsupported_format 415, invalid_option,
/// corrupt_image and idempotency_key_reused 422, rate_limited 429, internal 500, unavailable and
/// timeout 503. The switch is exhaustive on purpose: a new ErrorCode must get a status here.
Status status_for(ErrorCode code);

}  // namespace imagesprint::http
