#include "adapters/s3/s3_object_reader.hpp"

#include <algorithm>
#include <cstring>

#include "adapters/s3/etag_check.hpp"
#include "adapters/s3/s3_object_info.hpp"

namespace imagesprint::s3 {
namespace {

/// Attempts to catch a small object between a HEAD and the GET of the same version while it is
/// being overwritten; each one follows a newer version, so more than a few means a writer that
/// never stops.
constexpr int OPEN_ATTEMPTS = 4;

}  // namespace

S3ObjectReader::S3ObjectReader(std::shared_ptr<S3Http> http, ObjectInfo info,
                               std::optional<std::vector<std::uint8_t>> snapshot)
    : http_(std::move(http)), info_(std::move(info)), snapshot_(std::move(snapshot)) {}

std::unique_ptr<S3ObjectReader> S3ObjectReader::open(std::shared_ptr<S3Http> http,
                                                     std::string_view key,
                                                     std::size_t snapshot_bytes) {
  for (int attempt = 1; attempt <= OPEN_ATTEMPTS; ++attempt) {
    if (attempt > 1) http->pause_before_retry(attempt - 1);
    std::optional<ObjectInfo> info = head_object(*http, key);
    if (!info) return nullptr;
    if (info->size > snapshot_bytes) {
      return std::unique_ptr<S3ObjectReader>(new S3ObjectReader(http, std::move(*info), {}));
    }
    if (info->size == 0) {
      return std::unique_ptr<S3ObjectReader>(
          new S3ObjectReader(http, std::move(*info), std::vector<std::uint8_t>{}));
    }
    S3Request request;
    request.method = "GET";
    request.path = http->endpoint().object_path(key);
    request.headers.emplace_back("if-match", "\"" + info->etag + "\"");
    request.what = "GET " + std::string(key);
    const S3Response response = http->send(request);
    if (response.status == 404 || response.status == 412) continue;  // changed: again
    if (response.status != 200) S3Http::fail(request, response);
    if (unquoted_etag(response.header("etag").value_or("")) != info->etag ||
        response.body.size() != info->size ||
        !body_matches_etag(response, info->etag, response.body)) {
      continue;  // a server that ignored If-Match served a newer version, or a damaged one
    }
    std::vector<std::uint8_t> bytes(response.body.begin(), response.body.end());
    return std::unique_ptr<S3ObjectReader>(new S3ObjectReader(http, std::move(*info), bytes));
  }
  throw StorageError("S3 open " + std::string(key) + ": the object changed on each of " +
                     std::to_string(OPEN_ATTEMPTS) + " attempts to read one version");
}

std::size_t S3ObjectReader::read_at(std::uint64_t offset, std::span<std::uint8_t> out) {
  if (out.empty() || offset >= info_.size) return 0;
  const std::size_t n =
      static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), info_.size - offset));
  if (snapshot_) {
    std::memcpy(out.data(), snapshot_->data() + offset, n);
    return n;
  }
  if (offset >= window_offset_ && offset + n <= window_offset_ + window_.size()) {
    std::memcpy(out.data(), window_.data() + (offset - window_offset_), n);
    return n;
  }
  const std::size_t wanted = static_cast<std::size_t>(
      std::min<std::uint64_t>(std::max(n, RANGE_BYTES), info_.size - offset));
  S3Request request;
  request.method = "GET";
  request.path = http_->endpoint().object_path(info_.key);
  request.headers.emplace_back("if-match", "\"" + info_.etag + "\"");
  request.headers.emplace_back(
      "range", "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + wanted - 1));
  request.what =
      "GET " + info_.key + " bytes " + std::to_string(offset) + "+" + std::to_string(wanted);
  S3Response response = http_->send(request);
  const bool changed = response.status == 404 || response.status == 412 ||
                       ((response.status == 206 || response.status == 200) &&
                        unquoted_etag(response.header("etag").value_or("")) != info_.etag);
  if (changed) {
    throw StorageError("S3 " + request.what +
                       ": the object was overwritten or deleted since "
                       "this reader opened it (ETag " +
                       info_.etag + ")");
  }
  if (response.status == 200) {  // a server that ignored Range: the whole object
    response.body.erase(
        0, std::min<std::size_t>(static_cast<std::size_t>(offset), response.body.size()));
    response.body.resize(std::min(response.body.size(), wanted));
  } else if (response.status != 206) {
    S3Http::fail(request, response);
  }
  if (response.body.size() < wanted) {
    throw StorageError("S3 " + request.what + ": got " + std::to_string(response.body.size()) +
                       " bytes, expected " + std::to_string(wanted));
  }
  window_offset_ = offset;
  window_ = std::move(response.body);
  std::memcpy(out.data(), window_.data(), n);
  return n;
}

}  // namespace imagesprint::s3
