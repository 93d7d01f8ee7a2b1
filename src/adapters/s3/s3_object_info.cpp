#include "adapters/s3/s3_object_info.hpp"

#include <curl/curl.h>

#include <charconv>
#include <chrono>
#include <ctime>

namespace imagesprint::s3 {
namespace {

std::uint64_t parse_size(const std::optional<std::string>& text) {
  std::uint64_t value = 0;
  if (text) std::from_chars(text->data(), text->data() + text->size(), value);
  return value;
}

UnixMillis now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string unquoted_etag(std::string_view etag) {
  if (etag.starts_with("W/")) etag.remove_prefix(2);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return std::string(etag);
}

UnixMillis parse_s3_time(std::string_view text) {
  if (text.size() >= 19 && text[4] == '-' && text[10] == 'T') {  // ISO 8601
    std::tm parts{};
    const std::string head(text.substr(0, 19));
    if (strptime(head.c_str(), "%Y-%m-%dT%H:%M:%S", &parts) == nullptr) return 0;
    return static_cast<UnixMillis>(timegm(&parts)) * 1000;
  }
  const std::string date(text);
  const time_t seconds = curl_getdate(date.c_str(), nullptr);
  return seconds < 0 ? 0 : static_cast<UnixMillis>(seconds) * 1000;
}

std::optional<ObjectInfo> head_object(S3Http& http, std::string_view key,
                                      const std::optional<std::string>& if_match) {
  S3Request request;
  request.method = "HEAD";
  request.path = http.endpoint().object_path(key);
  if (if_match) request.headers.emplace_back("if-match", "\"" + *if_match + "\"");
  request.what = "HEAD " + std::string(key);
  for (int attempt = 1; attempt <= http.max_attempts(); ++attempt) {
    if (attempt > 1) http.pause_before_retry(attempt - 1);
    const S3Response response = http.send(request);
    if (response.status == 404 || (if_match && response.status == 412)) return std::nullopt;
    if (response.status != 200) S3Http::fail(request, response);
    ObjectInfo info;
    info.key = std::string(key);
    info.size = parse_size(response.header("content-length"));
    info.etag = unquoted_etag(response.header("etag").value_or(""));
    info.modified_at = parse_s3_time(response.header("last-modified").value_or(""));
    // S3 always sends an ETag; a server without atomic writes may not, mid-overwrite: ask again.
    if (info.etag.empty()) continue;
    // Some S3-compatible servers ignore If-Match: compare ourselves too.
    if (if_match && info.etag != *if_match) return std::nullopt;
    return info;
  }
  throw StorageError("S3 " + request.what + ": the answer had no ETag " +
                     std::to_string(http.max_attempts()) + " times");
}

ObjectInfo written_object_info(S3Http& http, std::string_view key, const std::string& etag,
                               std::uint64_t size, const S3Response& answer) {
  if (auto info = head_object(http, key, etag)) return *info;
  ObjectInfo info;
  info.key = std::string(key);
  info.size = size;
  info.etag = etag;
  info.modified_at = parse_s3_time(answer.header("date").value_or(""));
  if (info.modified_at == 0) info.modified_at = now_millis() / 1000 * 1000;
  return info;
}

}  // namespace imagesprint::s3
