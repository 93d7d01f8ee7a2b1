#include "adapters/http/response.hpp"

#include <boost/beast/core/string.hpp>
#include <cstdio>

#include "adapters/http/ascii.hpp"
#include "adapters/http/url.hpp"
#include "domain/whole_number.hpp"

namespace imagesprint::http {
namespace {

constexpr std::string_view JSON_TYPE = "application/json";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Response Response::json(Status status, const nlohmann::json& body) {
  Response response;
  response.status_ = status;
  response.headers_.set(Field::content_type, to_beast(JSON_TYPE));
  response.body_ = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response Response::text(Status status, std::string body, std::string_view content_type) {
  Response response;
  response.status_ = status;
  response.headers_.set(Field::content_type, to_beast(content_type));
  response.body_ = std::move(body);
  return response;
}

Response Response::empty(Status status) {
  Response response;
  response.status_ = status;
  return response;
}

Response Response::error_from(Status status, ErrorParts parts) {
  Response response;
  response.status_ = status;
  response.headers_.set(Field::content_type, to_beast(JSON_TYPE));
  response.body_ = error_json(parts.code, parts.message, parts.field, parts.params);
  response.error_ = std::move(parts);
  return response;
}

Response Response::error(Status status, std::string_view code, std::string_view message,
                         std::string_view field) {
  return error_from(status, {std::string(code), std::string(message), std::string(field), {}, {}});
}

Response Response::error(Status status, std::string_view message) {
  return error(status, default_error_code(status), message);
}

Response Response::error(const HttpError& error) {
  auto response = error_from(error.status(), {error.code(), error.what(), error.field(),
                                              error.message_key(), error.params()});
  if (error.retry_after() > 0)
    response.set(Field::retry_after, std::to_string(error.retry_after()));
  return response;
}

Response Response::error(const Error& error) {
  auto response =
      error_from(status_for(error.code), {std::string(to_string(error.code)), error.message,
                                          error.field, error.message_key, error.params});
  if (error.retry_after > 0) response.set(Field::retry_after, std::to_string(error.retry_after));
  return response;
}

void Response::localize(Language language) {
  if (!error_ || body() == nullptr) return;
  const ErrorParts& e = *error_;
  const nlohmann::json& params = e.params.is_object() ? e.params : nlohmann::json::object();
  std::optional<std::string> message;
  if (!e.key.empty()) message = render_message(e.key, params, language);
  if (!message && language != Language::en) {
    message = render_message("error." + e.code, params, language);
    if (message && !e.field.empty()) message = e.field + ": " + *message;
  }
  if (!message) return;  // English without a key: the site's own sentence, already written
  body_ = error_json(e.code, *message, e.field, e.params);
}

Response Response::file(std::filesystem::path path, std::string content_type, std::string etag) {
  Response response;
  response.body_ = FileBody{std::move(path), std::move(content_type), std::move(etag)};
  return response;
}

Response Response::stream(std::shared_ptr<ByteSource> source, std::string content_type) {
  Response response;
  response.body_ = StreamBody{std::move(source), std::move(content_type)};
  return response;
}

Response Response::sse(std::shared_ptr<EventChannel> channel, SseBody options) {
  Response response;
  options.channel = std::move(channel);
  response.body_ = std::move(options);
  return response;
}

Response& Response::set(Field name, std::string_view value) {
  headers_.set(name, to_beast(value));
  return *this;
}

Response& Response::set(std::string_view name, std::string_view value) {
  headers_.set(to_beast(name), to_beast(value));
  return *this;
}

Response& Response::insert(std::string_view name, std::string_view value) {
  headers_.insert(to_beast(name), to_beast(value));
  return *this;
}

std::string content_disposition(std::string_view filename, std::string_view disposition) {
  // Only the last path component: a name is never a path on the client's disk.
  if (const auto slash = filename.find_last_of("/\\"); slash != std::string_view::npos) {
    filename.remove_prefix(slash + 1);
  }
  std::string clean;  // the exact name minus control characters
  std::string ascii;  // the fallback for clients without RFC 5987
  for (const char c : filename) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) continue;
    clean.push_back(c);
    ascii.push_back(byte >= 0x80 || c == '"' || c == '\\' || c == ';' ? '_' : c);
  }
  if (clean.empty()) clean = ascii = "download";
  std::string out(disposition);
  out += "; filename=\"" + ascii + "\"";
  if (ascii != clean) out += "; filename*=UTF-8''" + percent_encode(clean);
  return out;
}

RangeRequest parse_range(std::string_view header, std::uint64_t size) {
  header = trim(header);
  constexpr std::string_view UNIT = "bytes=";
  if (header.size() < UNIT.size() || !iequals(header.substr(0, UNIT.size()), UNIT)) return {};
  const auto spec = trim(header.substr(UNIT.size()));
  if (spec.find(',') != std::string_view::npos) return {};
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return {};
  const auto first_text = trim(spec.substr(0, dash));
  const auto last_text = trim(spec.substr(dash + 1));
  RangeRequest request;
  if (first_text.empty()) {  // suffix: the last N bytes
    const auto suffix = whole_number<std::uint64_t>(last_text);
    if (!suffix) return {};
    if (*suffix == 0 || size == 0) {
      request.kind = RangeRequest::Kind::unsatisfiable;
      return request;
    }
    request.kind = RangeRequest::Kind::satisfiable;
    request.range = {size - std::min(*suffix, size), size - 1};
    return request;
  }
  const auto first = whole_number<std::uint64_t>(first_text);
  if (!first) return {};
  std::uint64_t last = size == 0 ? 0 : size - 1;
  if (!last_text.empty()) {
    const auto parsed = whole_number<std::uint64_t>(last_text);
    if (!parsed || *parsed < *first) return {};
    last = std::min(*parsed, last);
  }
  if (*first >= size) {
    request.kind = RangeRequest::Kind::unsatisfiable;
    return request;
  }
  request.kind = RangeRequest::Kind::satisfiable;
  request.range = {*first, last};
  return request;
}

std::string file_etag(std::uint64_t size, std::chrono::nanoseconds modified) {
  const auto ns = modified;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "\"%llx-%llx\"", static_cast<unsigned long long>(size),
                static_cast<unsigned long long>(ns.count()));
  return buffer;
}

namespace {

bool is_weak(std::string_view tag) {
  return tag.size() > 2 && (tag[0] == 'W' || tag[0] == 'w') && tag[1] == '/';
}

/// Whether "*" or one of the comma-separated tags of `list` is the same as `etag`, comparing
/// weakly (W/ dropped) or strongly (a weak tag on either side never matches).
bool list_matches(std::string_view list, std::string_view etag, bool weak) {
  if (etag.empty() || (!weak && is_weak(trim(etag)))) return false;
  const auto opaque = [](std::string_view tag) {
    tag = trim(tag);
    if (is_weak(tag)) tag.remove_prefix(2);
    return tag;
  };
  const auto wanted = opaque(etag);
  while (!list.empty()) {
    const auto comma = list.find(',');
    const auto tag = trim(list.substr(0, comma));
    if (tag == "*") return true;
    if (!tag.empty() && (weak || !is_weak(tag)) && opaque(tag) == wanted) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  return list_matches(if_none_match, etag, true);
}

bool etag_matches_strongly(std::string_view if_match, std::string_view etag) {
  return list_matches(if_match, etag, false);
}

}  // namespace imagesprint::http
