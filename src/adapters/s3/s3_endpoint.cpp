#include "adapters/s3/s3_endpoint.hpp"

#include <algorithm>
#include <cctype>

namespace imagesprint::s3 {

S3Endpoint::S3Endpoint(const S3ObjectStoreConfig& config)
    : bucket_(config.bucket),
      prefix_(config.prefix.empty() ? "" : config.prefix + "/"),
      path_style_(config.path_style) {
  const std::string endpoint = config.effective_endpoint();
  const auto colon = endpoint.find("://");
  scheme_ = endpoint.substr(0, colon);
  std::string authority = endpoint.substr(colon + 3);
  std::ranges::transform(authority, authority.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::string default_port = scheme_ == "https" ? ":443" : ":80";
  if (authority.ends_with(default_port)) authority.resize(authority.size() - default_port.size());
  host_ = path_style_ ? authority : bucket_ + "." + authority;
}

std::string S3Endpoint::full_key(std::string_view key) const {
  return prefix_ + std::string(key);
}

std::string_view S3Endpoint::our_key(std::string_view full_key) const {
  return full_key.starts_with(prefix_) ? full_key.substr(prefix_.size()) : full_key;
}

std::string S3Endpoint::object_path(std::string_view key) const {
  return (path_style_ ? "/" + bucket_ : std::string()) + "/" + full_key(key);
}

std::string S3Endpoint::bucket_path() const {
  return path_style_ ? "/" + bucket_ : "/";
}

std::string S3Endpoint::url(std::string_view path, std::string_view encoded_query) const {
  std::string out = scheme_ + "://" + host_ + uri_encode(path, true);
  if (!encoded_query.empty()) {
    out += '?';
    out += encoded_query;
  }
  return out;
}

std::string encode_query(const NameValues& query) {
  std::string out;
  for (const auto& [name, value] : query) {
    if (!out.empty()) out += '&';
    out += uri_encode(name, false);
    out += '=';
    out += uri_encode(value, false);
  }
  return out;
}

}  // namespace imagesprint::s3
