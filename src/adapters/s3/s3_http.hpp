#pragma once
// One S3 request at a time over libcurl, signed with SigV4 (sigv4.hpp) at the system clock, with
// timeouts and retries (retry_policy.hpp). Safe from any thread: each call takes an easy handle
// from a small pool (a handle keeps its connections alive for the next call).
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "adapters/s3/s3_config.hpp"
#include "adapters/s3/s3_endpoint.hpp"
#include "adapters/s3/sigv4.hpp"

namespace imagesprint::s3 {

struct S3Request {
  std::string method;  // GET, HEAD, PUT, POST, DELETE
  std::string path;    // not percent-encoded (S3Endpoint::object_path ...)
  NameValues query;    // not percent-encoded
  NameValues headers;  // extra headers, all signed (range, if-match, content-type ...)
  std::span<const std::uint8_t> body;  // PUT and POST
  std::string what;                    // "PUT jobs/j/in/0", for error messages
  /// An answer that is to be retried although its status says otherwise (S3 can answer 200 to
  /// CompleteMultipartUpload with an error in the body).
  std::function<bool(long status, const std::string& body)> retry_also;
};

struct S3Response {
  long status = 0;
  NameValues headers;  // names in lower case
  std::string body;

  std::optional<std::string> header(std::string_view lower_name) const;
};

class S3Http {
 public:
  explicit S3Http(const S3ObjectStoreConfig& config);
  ~S3Http();
  S3Http(const S3Http&) = delete;
  S3Http& operator=(const S3Http&) = delete;

  const S3Endpoint& endpoint() const { return endpoint_; }

  /// Sends `request`, again after a backoff while the outcome is retryable (network failure,
  /// 5xx, 429 ...), at most max_attempts times. Returns the first final answer, whatever its
  /// status; throws StorageError when the last attempt still failed.
  S3Response send(const S3Request& request);

  /// Attempts for an answer that came back whole but wrong (no ETag, a body that does not match
  /// it: a server without atomic writes caught mid-overwrite), and the backoff before retry
  /// `retry` (1, 2 ...) of such a read, as for retryable failures.
  int max_attempts() const { return config_.max_attempts; }
  void pause_before_retry(int retry) const;

  /// A StorageError for an unexpected answer: "S3 <what>: HTTP 403 AccessDenied: <message>".
  [[noreturn]] static void fail(const S3Request& request, const S3Response& response);

 private:
  struct Attempt;
  struct EasyDeleter {
    void operator()(void* handle) const;
  };
  using Easy = std::unique_ptr<void, EasyDeleter>;

  Easy acquire();
  void release(Easy handle);
  /// One attempt: fills `response`, returns the CURLcode (as int).
  int perform(void* handle, const S3Request& request, S3Response& response);

  S3ObjectStoreConfig config_;
  S3Endpoint endpoint_;
  std::mutex pool_mutex_;
  std::vector<Easy> pool_;
};

}  // namespace imagesprint::s3
