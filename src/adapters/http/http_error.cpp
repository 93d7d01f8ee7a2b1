#include "adapters/http/http_error.hpp"

#include <nlohmann/json.hpp>

namespace imagesprint::http {

HttpError::HttpError(Status status, std::string code, const std::string& message, std::string field)
    : std::runtime_error(message),
      status_(status),
      code_(std::move(code)),
      field_(std::move(field)) {}

HttpError::HttpError(Status status, const std::string& message)
    : HttpError(status, std::string(default_error_code(status)), message) {}

std::string_view default_error_code(Status status) {
  switch (status) {
    case Status::bad_request:
      return "bad_request";
    case Status::unauthorized:
      return "unauthorized";
    case Status::forbidden:
      return "forbidden";
    case Status::not_found:
      return "not_found";
    case Status::method_not_allowed:
      return "method_not_allowed";
    case Status::request_timeout:
      return "request_timeout";
    case Status::conflict:
      return "conflict";
    case Status::length_required:
      return "length_required";
    case Status::payload_too_large:
      return "payload_too_large";
    case Status::unsupported_media_type:
      return "unsupported_media_type";
    case Status::precondition_failed:
      return "precondition_failed";
    case Status::range_not_satisfiable:
      return "range_not_satisfiable";
    case Status::expectation_failed:
      return "expectation_failed";
    case Status::unprocessable_entity:
      return "unprocessable_entity";
    case Status::too_many_requests:
      return "too_many_requests";
    case Status::request_header_fields_too_large:
      return "header_too_large";
    case Status::internal_server_error:
      return "internal";
    case Status::not_implemented:
      return "not_implemented";
    case Status::service_unavailable:
      return "unavailable";
    default:
      break;
  }
  const auto code = static_cast<unsigned>(status);
  return code >= 500 ? "internal" : "bad_request";
}

std::string error_json(std::string_view code, std::string_view message, std::string_view field,
                       const nlohmann::json& params) {
  nlohmann::json inner = {{"code", code}, {"message", message}};
  if (!field.empty()) inner["field"] = field;
  if (params.is_object() && !params.empty()) inner["params"] = params;
  // `replace`: a message quoting user input with broken UTF-8 must not make dump() throw.
  return nlohmann::json{{"error", std::move(inner)}}.dump(-1, ' ', false,
                                                          nlohmann::json::error_handler_t::replace);
}

Status status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_option:
      return Status::unprocessable_entity;
    case ErrorCode::unsupported_format:
      return Status::unsupported_media_type;
    case ErrorCode::too_many_pixels:
      return Status::payload_too_large;
    case ErrorCode::too_large:
      return Status::payload_too_large;
    case ErrorCode::corrupt_image:
      return Status::unprocessable_entity;
    case ErrorCode::timeout:
      return Status::service_unavailable;
    case ErrorCode::invalid_request:
      return Status::bad_request;
    case ErrorCode::unauthorized:
      return Status::unauthorized;
    case ErrorCode::not_found:
      return Status::not_found;
    case ErrorCode::conflict:
      return Status::conflict;
    case ErrorCode::idempotency_key_reused:  // draft-ietf-httpapi-idempotency-key-header
      return Status::unprocessable_entity;
    case ErrorCode::quota_exceeded:
    case ErrorCode::rate_limited:
      return Status::too_many_requests;
    case ErrorCode::unavailable:
      return Status::service_unavailable;
    case ErrorCode::internal:
      return Status::internal_server_error;
  }
  return Status::internal_server_error;
}

}  // namespace imagesprint::http
