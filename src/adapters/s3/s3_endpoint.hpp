#pragma once
// Where a bucket's objects are: path-style (http://host/bucket/key) or virtual-hosted style
// (http://bucket.host/key), and the store's key prefix. Builds the host (the signed "host"
// header) and the paths and URLs of requests.
#include <string>
#include <string_view>

#include "adapters/s3/s3_config.hpp"
#include "adapters/s3/sigv4.hpp"

namespace imagesprint::s3 {

class S3Endpoint {
 public:
  explicit S3Endpoint(const S3ObjectStoreConfig& config);

  /// host[:port] as sent in the Host header (a default port left out, as browsers do).
  const std::string& host() const { return host_; }
  /// The S3 key of one of our keys: "<prefix>/<key>" or "<key>".
  std::string full_key(std::string_view key) const;
  /// Our key from an S3 key under the prefix (as listed).
  std::string_view our_key(std::string_view full_key) const;
  /// Path of an object, not percent-encoded ("/bucket/prefix/key" path-style).
  std::string object_path(std::string_view key) const;
  /// Path of the bucket itself ("/bucket" path-style, "/" virtual-hosted).
  std::string bucket_path() const;
  /// scheme://host + percent-encoded path + ("?" + query when not empty).
  std::string url(std::string_view path, std::string_view encoded_query) const;

 private:
  std::string scheme_;  // "http" or "https"
  std::string host_;
  std::string bucket_;
  std::string prefix_;  // "" or "a/b/"
  bool path_style_;
};

/// "k1=v1&k2=v2" with names and values percent-encoded as SigV4 does (order kept).
std::string encode_query(const NameValues& query);

}  // namespace imagesprint::s3
