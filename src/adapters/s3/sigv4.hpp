#pragma once
// AWS Signature Version 4, written here by hand, for both uses S3 makes of it:
// - sign_headers(): an Authorization header for a request we send ourselves;
// - presign_query(): a presigned URL's query string (X-Amz-Algorithm ... X-Amz-Signature), which
//   libcurl cannot make for us.
// libcurl 7.88 (Debian 12) has CURLOPT_AWS_SIGV4 for the first, checked here against s3rver: it
// does not send x-amz-content-sha256 itself (S3 requires it: "Missing required header"), so
// with it a PUT goes up as UNSIGNED-PAYLOAD, with the header added by hand; it signs with its own
// wall clock; and it cannot presign. Signing by hand instead, one canonicalisation serves both
// uses, and our requests sign the body's SHA-256 (S3 then rejects a body damaged on the way).
// The AWS test suite vectors (tests/data/sigv4/) and the npm @smithy/signature-v4 signer check it.
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace imagesprint::s3 {

/// The payload hash S3 accepts in presigned URLs (the body is not known when signing).
inline constexpr std::string_view UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
/// Hex SHA-256 of no bytes (GET, HEAD, DELETE).
inline constexpr std::string_view EMPTY_PAYLOAD_SHA256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty: long-term keys
};

/// Where and when a signature applies.
struct SigningScope {
  std::string region;     // "us-east-1"
  std::string service;    // "s3"
  std::int64_t time = 0;  // seconds since the Unix epoch
};

using NameValues = std::vector<std::pair<std::string, std::string>>;

/// A request as the signer sees it.
struct RequestToSign {
  std::string method;        // "GET"
  std::string path;          // not percent-encoded ("/bucket/a b"), starts with '/'
  NameValues query;          // not percent-encoded names and values, in any order
  NameValues headers;        // every header to sign (at least host), names in any case
  std::string payload_hash;  // hex SHA-256 of the body, or UNSIGNED_PAYLOAD
};

struct SigningOptions {
  /// Remove "." and ".." segments and empty ones from the path before encoding. S3: false (a
  /// key is taken literally); most other services: true.
  bool normalize_path = false;
  /// Header signing: also send and sign x-amz-content-sha256 (S3 requires it).
  bool content_sha256_header = true;
  /// false: a session token is added after signing, outside the signature (some services).
  bool sign_session_token = true;
};

/// The steps of one signature, kept for tests and error messages (never logged: they contain
/// no secret, but the signature is a credential for its request).
struct SignatureParts {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // lower-case hex
};

struct HeaderSignature {
  SignatureParts parts;
  NameValues headers_to_add;  // x-amz-date, x-amz-content-sha256, x-amz-security-token,
                              // authorization: send them with the request
};

struct QuerySignature {
  SignatureParts parts;
  std::string query;  // the whole query string, percent-encoded, ending with X-Amz-Signature
};

/// Signs `request` with an Authorization header.
HeaderSignature sign_headers(const RequestToSign& request, const Credentials& credentials,
                             const SigningScope& scope, const SigningOptions& options = {});

/// A presigned query string valid for `expires_seconds` (1 to 604800) from scope.time. The
/// request's own query parameters (response-content-disposition ...) are part of it.
QuerySignature presign_query(const RequestToSign& request, const Credentials& credentials,
                             const SigningScope& scope, std::int64_t expires_seconds,
                             const SigningOptions& options = {});

/// RFC 3986 percent-encoding as SigV4 wants it: everything but A-Z a-z 0-9 - . _ ~ (and '/'
/// when `keep_slash`), upper-case hex digits.
std::string uri_encode(std::string_view text, bool keep_slash);

/// Undoes percent-encoding ("%E1%88%B4" -> bytes); a '%' not followed by two hex digits is kept.
std::string uri_decode(std::string_view text);

/// "20150830T123600Z".
std::string amz_date(std::int64_t unix_seconds);

}  // namespace imagesprint::s3
