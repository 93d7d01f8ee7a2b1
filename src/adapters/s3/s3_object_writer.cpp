#include "adapters/s3/s3_object_writer.hpp"

#include <algorithm>
#include <stdexcept>

#include "adapters/s3/s3_object_info.hpp"
#include "adapters/s3/s3_xml.hpp"
#include "domain/untrusted_text.hpp"

namespace imagesprint::s3 {
namespace {

constexpr std::size_t MAX_PARTS = 10'000;  // S3's limit

/// CompleteMultipartUpload may answer 200 and fail later in the body: retry then.
bool error_in_body(long status, const std::string& body) {
  return status == 200 && body.find("<Error>") != std::string::npos;
}

}  // namespace

S3ObjectWriter::S3ObjectWriter(std::shared_ptr<S3Http> http, std::string key, std::size_t part_size)
    : http_(std::move(http)), key_(std::move(key)), part_size_(part_size) {}

S3ObjectWriter::~S3ObjectWriter() {
  if (!upload_id_.empty() && !committed_) abort_upload();
}

void S3ObjectWriter::check_usable() const {
  if (committed_) throw std::logic_error("ObjectWriter: already committed (" + key_ + ")");
  if (failed_) throw StorageError("ObjectWriter: unusable after an earlier failure (" + key_ + ")");
}

void S3ObjectWriter::write(std::span<const std::uint8_t> bytes) {
  check_usable();
  try {
    while (!bytes.empty()) {
      if (buffer_.capacity() < part_size_) buffer_.reserve(part_size_);
      const std::size_t n = std::min(bytes.size(), part_size_ - buffer_.size());
      buffer_.insert(buffer_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
      bytes = bytes.subspan(n);
      size_ += n;
      if (buffer_.size() == part_size_) {
        if (upload_id_.empty()) start_upload();
        send_part();
      }
    }
  } catch (...) {
    failed_ = true;
    throw;
  }
}

void S3ObjectWriter::start_upload() {
  S3Request request;
  request.method = "POST";
  request.path = http_->endpoint().object_path(key_);
  request.query.emplace_back("uploads", "");
  request.headers.emplace_back("content-type", "application/octet-stream");
  request.what = "CreateMultipartUpload " + key_;
  const S3Response response = http_->send(request);
  if (response.status != 200) S3Http::fail(request, response);
  const auto id = xml_text(response.body, "UploadId");
  if (!id || id->empty()) throw StorageError("S3 " + request.what + ": the answer has no UploadId");
  upload_id_ = *id;
}

void S3ObjectWriter::send_part() {
  if (part_etags_.size() >= MAX_PARTS) {
    throw StorageError("S3 upload of " + key_ + ": more than " + std::to_string(MAX_PARTS) +
                       " parts (raise part_size)");
  }
  const std::string number = std::to_string(part_etags_.size() + 1);
  S3Request request;
  request.method = "PUT";
  request.path = http_->endpoint().object_path(key_);
  request.query = {{"partNumber", number}, {"uploadId", upload_id_}};
  request.body = buffer_;
  request.what = "UploadPart " + number + " of " + key_;
  const S3Response response = http_->send(request);
  if (response.status != 200) S3Http::fail(request, response);
  const auto etag = response.header("etag");
  if (!etag) throw StorageError("S3 " + request.what + ": the answer has no ETag");
  part_etags_.push_back(*etag);
  buffer_.clear();
}

ObjectInfo S3ObjectWriter::commit() {
  check_usable();
  try {
    if (upload_id_.empty()) {
      // Small enough for one part: one plain PUT, visible atomically.
      S3Request request;
      request.method = "PUT";
      request.path = http_->endpoint().object_path(key_);
      request.headers.emplace_back("content-type", "application/octet-stream");
      request.body = buffer_;
      request.what = "PUT " + key_;
      const S3Response response = http_->send(request);
      if (response.status != 200) S3Http::fail(request, response);
      committed_ = true;
      const std::string etag = unquoted_etag(response.header("etag").value_or(""));
      buffer_ = {};
      return written_object_info(*http_, key_, etag, size_, response);
    }
    if (!buffer_.empty()) send_part();
    std::string body = "<CompleteMultipartUpload>";
    for (std::size_t i = 0; i < part_etags_.size(); ++i) {
      body += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" +
              escape_markup(part_etags_[i]) + "</ETag></Part>";
    }
    body += "</CompleteMultipartUpload>";
    S3Request request;
    request.method = "POST";
    request.path = http_->endpoint().object_path(key_);
    request.query.emplace_back("uploadId", upload_id_);
    request.headers.emplace_back("content-type", "application/xml");
    request.body = {reinterpret_cast<const std::uint8_t*>(body.data()), body.size()};
    request.what = "CompleteMultipartUpload " + key_;
    request.retry_also = error_in_body;
    const S3Response response = http_->send(request);
    if (response.status != 200) S3Http::fail(request, response);
    committed_ = true;
    buffer_ = {};
    const std::string etag = unquoted_etag(xml_text(response.body, "ETag").value_or(""));
    return written_object_info(*http_, key_, etag, size_, response);
  } catch (...) {
    failed_ = !committed_;
    throw;
  }
}

void S3ObjectWriter::abort_upload() noexcept {
  try {
    S3Request request;
    request.method = "DELETE";
    request.path = http_->endpoint().object_path(key_);
    request.query.emplace_back("uploadId", upload_id_);
    request.what = "AbortMultipartUpload " + key_;
    static_cast<void>(http_->send(request));
  } catch (...) {
    // Best effort: a bucket lifecycle rule (AbortIncompleteMultipartUpload) is the backstop.
  }
}

}  // namespace imagesprint::s3
