// Hand-written SigV4 (see sigv4.hpp for why libcurl's CURLOPT_AWS_SIGV4 is not used).
#include "adapters/s3/sigv4.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <stdexcept>

#include "adapters/s3/hashing.hpp"

namespace imagesprint::s3 {
namespace {

constexpr std::string_view ALGORITHM = "AWS4-HMAC-SHA256";

bool unreserved(unsigned char c) {
  return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// Trims a header value and turns each run of spaces into one (SigV4's "Trimall").
std::string trim_all(std::string_view value) {
  std::string out;
  bool space = false;
  for (const char c : value) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

/// The path with "." and ".." resolved and empty segments dropped; a trailing slash is kept.
std::string normalized(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, slash - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = slash + 1;
  }
  std::string out;
  for (const std::string_view segment : segments) {
    out += '/';
    out += segment;
  }
  if (out.empty() || path.ends_with('/')) out += '/';
  return out;
}

std::string canonical_uri(std::string_view path, bool normalize) {
  if (path.empty()) return "/";
  return uri_encode(normalize ? normalized(path) : std::string(path), true);
}

std::string canonical_query(const NameValues& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) {
    encoded.emplace_back(uri_encode(name, false), uri_encode(value, false));
  }
  std::ranges::sort(encoded);
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

struct CanonicalHeaders {
  std::string lines;         // "name:value\n" for each, sorted by name
  std::string signed_names;  // "host;x-amz-date"
};

CanonicalHeaders canonical_headers(const NameValues& headers) {
  std::vector<std::pair<std::string, std::string>> lowered;
  lowered.reserve(headers.size());
  for (const auto& [name, value] : headers) lowered.emplace_back(lower(name), trim_all(value));
  // Stable: repeated headers keep their order and are joined with commas.
  std::ranges::stable_sort(lowered, {}, &std::pair<std::string, std::string>::first);
  CanonicalHeaders out;
  for (std::size_t i = 0; i < lowered.size(); ++i) {
    if (i > 0 && lowered[i].first == lowered[i - 1].first) {
      out.lines.back() = ',';
      out.lines += lowered[i].second;
      out.lines += '\n';
      continue;
    }
    if (!out.signed_names.empty()) out.signed_names += ';';
    out.signed_names += lowered[i].first;
    out.lines += lowered[i].first;
    out.lines += ':';
    out.lines += lowered[i].second;
    out.lines += '\n';
  }
  return out;
}

std::string date_of(std::int64_t unix_seconds) {
  return amz_date(unix_seconds).substr(0, 8);
}

std::string credential_scope(const SigningScope& scope) {
  return date_of(scope.time) + "/" + scope.region + "/" + scope.service + "/aws4_request";
}

SignatureParts sign(std::string canonical_request, const Credentials& credentials,
                    const SigningScope& scope) {
  SignatureParts parts;
  parts.canonical_request = std::move(canonical_request);
  parts.string_to_sign = std::string(ALGORITHM) + "\n" + amz_date(scope.time) + "\n" +
                         credential_scope(scope) + "\n" + hex(sha256(parts.canonical_request));
  const Digest date_key = hmac_sha256("AWS4" + credentials.secret_access_key, date_of(scope.time));
  const Digest region_key = hmac_sha256(date_key, scope.region);
  const Digest service_key = hmac_sha256(region_key, scope.service);
  const Digest signing_key = hmac_sha256(service_key, "aws4_request");
  parts.signature = hex(hmac_sha256(signing_key, parts.string_to_sign));
  return parts;
}

std::string canonical_request(const RequestToSign& request, const NameValues& query,
                              const CanonicalHeaders& headers, const SigningOptions& options) {
  return request.method + "\n" + canonical_uri(request.path, options.normalize_path) + "\n" +
         canonical_query(query) + "\n" + headers.lines + "\n" + headers.signed_names + "\n" +
         request.payload_hash;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char DIGITS[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (unreserved(byte) || (keep_slash && c == '/')) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(DIGITS[byte >> 4]);
      out.push_back(DIGITS[byte & 0x0f]);
    }
  }
  return out;
}

std::string uri_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string amz_date(std::int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm parts{};
  gmtime_r(&t, &parts);
  char text[32];
  const std::size_t n = std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &parts);
  return std::string(text, n);
}

HeaderSignature sign_headers(const RequestToSign& request, const Credentials& credentials,
                             const SigningScope& scope, const SigningOptions& options) {
  HeaderSignature out;
  out.headers_to_add.emplace_back("x-amz-date", amz_date(scope.time));
  if (options.content_sha256_header) {
    out.headers_to_add.emplace_back("x-amz-content-sha256", request.payload_hash);
  }
  const bool token = !credentials.session_token.empty();
  if (token && options.sign_session_token) {
    out.headers_to_add.emplace_back("x-amz-security-token", credentials.session_token);
  }
  NameValues headers = request.headers;
  headers.insert(headers.end(), out.headers_to_add.begin(), out.headers_to_add.end());
  const CanonicalHeaders canonical = canonical_headers(headers);
  out.parts =
      sign(canonical_request(request, request.query, canonical, options), credentials, scope);
  if (token && !options.sign_session_token) {
    out.headers_to_add.emplace_back("x-amz-security-token", credentials.session_token);
  }
  out.headers_to_add.emplace_back(
      "authorization", std::string(ALGORITHM) + " Credential=" + credentials.access_key_id + "/" +
                           credential_scope(scope) + ", SignedHeaders=" + canonical.signed_names +
                           ", Signature=" + out.parts.signature);
  return out;
}

QuerySignature presign_query(const RequestToSign& request, const Credentials& credentials,
                             const SigningScope& scope, std::int64_t expires_seconds,
                             const SigningOptions& options) {
  if (expires_seconds < 1 || expires_seconds > 604800) {
    throw std::invalid_argument("presign_query: expires_seconds must be 1 to 604800, got " +
                                std::to_string(expires_seconds));
  }
  const CanonicalHeaders canonical = canonical_headers(request.headers);
  NameValues query = request.query;
  query.emplace_back("X-Amz-Algorithm", std::string(ALGORITHM));
  query.emplace_back("X-Amz-Credential", credentials.access_key_id + "/" + credential_scope(scope));
  query.emplace_back("X-Amz-Date", amz_date(scope.time));
  query.emplace_back("X-Amz-Expires", std::to_string(expires_seconds));
  query.emplace_back("X-Amz-SignedHeaders", canonical.signed_names);
  const bool token = !credentials.session_token.empty();
  if (token && options.sign_session_token) {
    query.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  QuerySignature out;
  out.parts = sign(canonical_request(request, query, canonical, options), credentials, scope);
  if (token && !options.sign_session_token) {
    query.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  out.query = canonical_query(query) + "&X-Amz-Signature=" + out.parts.signature;
  return out;
}

}  // namespace imagesprint::s3
