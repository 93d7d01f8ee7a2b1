#include "adapters/http/request.hpp"

#include "domain/json_text.hpp"

#include <boost/beast/core/error.hpp>

#include "adapters/http/http_error.hpp"

namespace imagesprint::http {

std::string_view PathParams::get(std::string_view name) const {
  if (auto value = find(name)) return *value;
  throw std::out_of_range("the route declares no path parameter named " + std::string(name));
}

std::optional<std::string_view> PathParams::find(std::string_view name) const {
  for (const auto& [key, value] : items_) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

BodyReadError::BodyReadError(boost::system::error_code code)
    : std::runtime_error("request body read failed: " + code.message()),
      code_(code),
      timed_out_(code == boost::beast::error::timeout) {}

std::string_view Request::header(std::string_view name) const {
  const auto it = parts_.header.find(to_beast(name));
  return it == parts_.header.end() ? std::string_view{} : to_std(it->value());
}

std::string_view Request::header(Field name) const {
  const auto it = parts_.header.find(name);
  return it == parts_.header.end() ? std::string_view{} : to_std(it->value());
}

bool Request::has_header(std::string_view name) const {
  return parts_.header.find(to_beast(name)) != parts_.header.end();
}

nlohmann::json Request::json_body() const {
  const auto type = header(Field::content_type);
  const auto media = type.substr(0, type.find(';'));
  const bool is_json = media == "application/json" ||
                       (media.size() > 5 && media.substr(media.size() - 5) == "+json");
  if (!is_json) {
    throw HttpError(Status::unsupported_media_type, "unsupported_media_type",
                    "expected Content-Type application/json", "Content-Type");
  }
  auto parsed = parse_untrusted_json(parts_.body);
  if (!parsed.value) {
    throw HttpError(Status::bad_request, "invalid_json", "the request body is " + parsed.error);
  }
  return std::move(*parsed.value);
}

BodyReader& Request::body_reader() const {
  if (parts_.reader == nullptr) {
    throw std::logic_error("body_reader() on a route that is not declared streaming");
  }
  return *parts_.reader;
}

BlockingPool& Request::blocking() const {
  if (parts_.blocking == nullptr) throw std::logic_error("no blocking pool attached");
  return *parts_.blocking;
}

}  // namespace imagesprint::http
