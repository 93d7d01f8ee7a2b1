#include "adapters/s3/s3_object_store.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "adapters/s3/content_disposition.hpp"
#include "adapters/s3/etag_check.hpp"
#include "adapters/s3/s3_object_info.hpp"
#include "adapters/s3/s3_object_reader.hpp"
#include "adapters/s3/s3_object_writer.hpp"
#include "adapters/s3/s3_xml.hpp"

namespace imagesprint::s3 {
namespace {

/// Pages of a listing (1000 keys each) before we give up: far beyond one job's objects.
constexpr int MAX_LIST_PAGES = 10'000;

void check_key(std::string_view key) {
  if (const auto error = object_key_error(key)) throw InvalidObjectKey(*error);
}

void check_prefix(std::string_view prefix) {
  if (const auto error = object_prefix_error(prefix)) throw InvalidObjectKey(*error);
}

}  // namespace

S3ObjectStore::S3ObjectStore(S3ObjectStoreConfig config) : config_(std::move(config)) {
  refuse(config_.validate());
  http_ = std::make_shared<S3Http>(config_);
}

UnixMillis S3ObjectStore::now() const {
  if (config_.clock) return config_.clock();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ObjectInfo S3ObjectStore::put(std::string_view key, std::span<const std::uint8_t> bytes) {
  check_key(key);
  S3Request request;
  request.method = "PUT";
  request.path = http_->endpoint().object_path(key);
  request.headers.emplace_back("content-type", "application/octet-stream");
  request.body = bytes;
  request.what = "PUT " + std::string(key);
  const S3Response response = http_->send(request);
  if (response.status != 200) S3Http::fail(request, response);
  return written_object_info(*http_, key, unquoted_etag(response.header("etag").value_or("")),
                             bytes.size(), response);
}

std::unique_ptr<ObjectWriter> S3ObjectStore::open_writer(std::string_view key) {
  check_key(key);
  return std::make_unique<S3ObjectWriter>(http_, std::string(key), config_.part_size);
}

std::optional<std::vector<std::uint8_t>> S3ObjectStore::get(std::string_view key) {
  check_key(key);
  S3Request request;
  request.method = "GET";
  request.path = http_->endpoint().object_path(key);
  request.what = "GET " + std::string(key);
  for (int attempt = 1; attempt <= http_->max_attempts(); ++attempt) {
    if (attempt > 1) http_->pause_before_retry(attempt - 1);
    const S3Response response = http_->send(request);
    if (response.status == 404) return std::nullopt;
    if (response.status != 200) S3Http::fail(request, response);
    const std::string etag = unquoted_etag(response.header("etag").value_or(""));
    if (body_matches_etag(response, etag, response.body)) {
      return std::vector<std::uint8_t>(response.body.begin(), response.body.end());
    }
  }
  throw StorageError("S3 " + request.what + ": the body did not match its ETag (MD5) in " +
                     std::to_string(http_->max_attempts()) + " reads");
}

std::unique_ptr<ObjectReader> S3ObjectStore::open_reader(std::string_view key) {
  check_key(key);
  return S3ObjectReader::open(http_, key, config_.reader_snapshot_bytes);
}

std::optional<ObjectInfo> S3ObjectStore::stat(std::string_view key) {
  check_key(key);
  return head_object(*http_, key);
}

bool S3ObjectStore::remove(std::string_view key) {
  check_key(key);
  if (!head_object(*http_, key)) return false;
  S3Request request;
  request.method = "DELETE";
  request.path = http_->endpoint().object_path(key);
  request.what = "DELETE " + std::string(key);
  const S3Response response = http_->send(request);
  if (response.status != 204 && response.status != 200 && response.status != 404) {
    S3Http::fail(request, response);
  }
  return true;
}

std::size_t S3ObjectStore::remove_prefix(std::string_view prefix) {
  if (prefix.empty()) {
    throw InvalidObjectKey("remove_prefix: the prefix is empty (deleting everything is refused)");
  }
  check_prefix(prefix);
  std::size_t removed = 0;
  for (const ObjectInfo& object : list(prefix)) {
    S3Request request;
    request.method = "DELETE";
    request.path = http_->endpoint().object_path(object.key);
    request.what = "DELETE " + object.key;
    const S3Response response = http_->send(request);
    if (response.status != 204 && response.status != 200 && response.status != 404) {
      S3Http::fail(request, response);
    }
    ++removed;
  }
  return removed;
}

std::vector<ObjectInfo> S3ObjectStore::list(std::string_view prefix) {
  check_prefix(prefix);
  const S3Endpoint& endpoint = http_->endpoint();
  std::vector<ObjectInfo> out;
  std::string token;
  for (int page = 0; page < MAX_LIST_PAGES; ++page) {
    S3Request request;
    request.method = "GET";
    request.path = endpoint.bucket_path();
    request.query = {{"list-type", "2"}, {"prefix", endpoint.full_key(prefix)}};
    if (!token.empty()) request.query.emplace_back("continuation-token", token);
    request.what = "ListObjectsV2 " + std::string(prefix);
    const S3Response response = http_->send(request);
    if (response.status != 200) S3Http::fail(request, response);
    for (const std::string_view contents : xml_elements(response.body, "Contents")) {
      ObjectInfo info;
      info.key = std::string(endpoint.our_key(xml_text(contents, "Key").value_or("")));
      const std::string size = xml_text(contents, "Size").value_or("0");
      std::from_chars(size.data(), size.data() + size.size(), info.size);
      info.etag = unquoted_etag(xml_text(contents, "ETag").value_or(""));
      info.modified_at = parse_s3_time(xml_text(contents, "LastModified").value_or(""));
      out.push_back(std::move(info));
    }
    if (xml_text(response.body, "IsTruncated").value_or("false") != "true") {
      // S3 lists in UTF-8 binary order already; sorting keeps the promise for any server.
      std::ranges::sort(out, {}, &ObjectInfo::key);
      return out;
    }
    token = xml_text(response.body, "NextContinuationToken").value_or("");
    if (token.empty()) {
      throw StorageError("S3 " + request.what + ": truncated listing without a continuation token");
    }
  }
  throw StorageError("S3 ListObjectsV2 " + std::string(prefix) + ": more than " +
                     std::to_string(MAX_LIST_PAGES) + " pages");
}

PresignedUrl S3ObjectStore::presign(PresignMethod method, std::string_view key,
                                    std::chrono::seconds ttl) {
  return presign_with(method, key, ttl, {});
}

PresignedUrl S3ObjectStore::presign_get(std::string_view key, std::chrono::seconds ttl,
                                        std::string_view filename) {
  return presign_with(PresignMethod::get, key, ttl,
                      {{"response-content-disposition", attachment_disposition(filename)}});
}

PresignedUrl S3ObjectStore::presign_with(PresignMethod method, std::string_view key,
                                         std::chrono::seconds ttl, NameValues query) {
  check_key(key);
  if (ttl < std::chrono::seconds(1) || ttl > MAX_PRESIGN_TTL) {
    throw std::invalid_argument("presign: ttl must be 1 to " +
                                std::to_string(MAX_PRESIGN_TTL.count()) + " seconds, got " +
                                std::to_string(ttl.count()));
  }
  const S3Endpoint& endpoint = http_->endpoint();
  const UnixMillis signed_at = now();
  // The signature names whole seconds (X-Amz-Date); the link lasts ttl from that second.
  const std::int64_t seconds = signed_at >= 0 ? signed_at / 1000 : (signed_at - 999) / 1000;
  RequestToSign request;
  request.method = std::string(to_string(method));
  request.path = endpoint.object_path(key);
  request.query = std::move(query);
  request.headers.emplace_back("host", endpoint.host());
  request.payload_hash = std::string(UNSIGNED_PAYLOAD);
  const QuerySignature signature = presign_query(
      request, config_.credentials, SigningScope{config_.region, "s3", seconds}, ttl.count());
  PresignedUrl url;
  url.url = endpoint.url(request.path, signature.query);
  url.relative = false;
  url.expires_at = (seconds + ttl.count()) * 1000;
  return url;
}

void S3ObjectStore::check_bucket() {
  S3Request request;
  request.method = "HEAD";
  request.path = http_->endpoint().bucket_path();
  request.what = "HEAD bucket " + config_.bucket;
  const S3Response response = http_->send(request);
  if (response.status != 200) S3Http::fail(request, response);
}

}  // namespace imagesprint::s3
