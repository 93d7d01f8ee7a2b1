#include "adapters/s3/s3_http.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <random>
#include <thread>

#include "adapters/s3/hashing.hpp"
#include "adapters/s3/retry_policy.hpp"
#include "adapters/s3/s3_xml.hpp"
#include "ports/storage_error.hpp"

namespace imagesprint::s3 {
namespace {

constexpr std::size_t POOL_LIMIT = 16;  // idle handles kept; more callers get fresh ones

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

void init_libcurl_once() {
  static const CURLcode result = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (result != CURLE_OK) {
    throw StorageError(std::string("libcurl failed to start: ") + curl_easy_strerror(result));
  }
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

double random_unit() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

/// The upload body, handed to libcurl piece by piece.
struct Upload {
  std::span<const std::uint8_t> bytes;
  std::size_t sent = 0;
};

std::size_t read_body(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, upload->bytes.size() - upload->sent);
  std::memcpy(buffer, upload->bytes.data() + upload->sent, n);
  upload->sent += n;
  return n;
}

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<S3Response*>(user)->body.append(data, size * count);
  return size * count;
}

std::size_t write_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* response = static_cast<S3Response*>(user);
  const std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    response->headers.clear();  // a new response (after 100 Continue, say)
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    response->headers.emplace_back(lower(trim(line.substr(0, colon))),
                                   std::string(trim(line.substr(colon + 1))));
  }
  return size * count;
}

std::string describe_failure(const S3Request& request, int code, const S3Response& response) {
  if (code != CURLE_OK) {
    return "S3 " + request.what + ": " + curl_easy_strerror(static_cast<CURLcode>(code));
  }
  std::string text = "S3 " + request.what + ": HTTP " + std::to_string(response.status);
  if (const auto error = xml_text(response.body, "Code")) text += " " + *error;
  if (const auto message = xml_text(response.body, "Message")) text += ": " + *message;
  return text;
}

}  // namespace

std::optional<std::string> S3Response::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return std::nullopt;
}

void S3Http::EasyDeleter::operator()(void* handle) const {
  curl_easy_cleanup(handle);
}

S3Http::S3Http(const S3ObjectStoreConfig& config) : config_(config), endpoint_(config) {
  init_libcurl_once();
}

S3Http::~S3Http() = default;

S3Http::Easy S3Http::acquire() {
  {
    const std::lock_guard lock(pool_mutex_);
    if (!pool_.empty()) {
      Easy handle = std::move(pool_.back());
      pool_.pop_back();
      return handle;
    }
  }
  Easy handle(curl_easy_init());
  if (!handle) throw StorageError("S3: libcurl could not create a handle");
  return handle;
}

void S3Http::release(Easy handle) {
  const std::lock_guard lock(pool_mutex_);
  if (pool_.size() < POOL_LIMIT) pool_.push_back(std::move(handle));
}

int S3Http::perform(void* handle, const S3Request& request, S3Response& response) {
  CURL* curl = handle;
  curl_easy_reset(curl);

  RequestToSign to_sign;
  to_sign.method = request.method;
  to_sign.path = request.path;
  to_sign.query = request.query;
  to_sign.headers.emplace_back("host", endpoint_.host());
  to_sign.headers.insert(to_sign.headers.end(), request.headers.begin(), request.headers.end());
  to_sign.payload_hash =
      request.body.empty() ? std::string(EMPTY_PAYLOAD_SHA256) : hex(sha256(request.body));
  SigningScope scope{config_.region, "s3",
                     std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count()};
  const HeaderSignature signature = sign_headers(to_sign, config_.credentials, scope);

  HeaderList headers;
  const auto add_header = [&](const std::string& line) {
    curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
    if (grown == nullptr) throw StorageError("S3: out of memory building a request");
    static_cast<void>(headers.release());
    headers.reset(grown);
  };
  for (const auto& [name, value] : to_sign.headers) add_header(name + ": " + value);
  for (const auto& [name, value] : signature.headers_to_add) add_header(name + ": " + value);
  add_header("Expect:");  // no 100-continue round trip
  if (request.method == "POST" || request.method == "PUT") {
    bool typed = false;
    for (const auto& [name, value] : request.headers) typed |= lower(name) == "content-type";
    if (!typed) add_header("Content-Type:");  // libcurl's default form type would be wrong
  }

  const std::string url = endpoint_.url(request.path, encode_query(request.query));
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(config_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.request_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(config_.low_speed_time.count()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, write_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);

  Upload upload{request.body, 0};
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_body);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  } else if (request.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = status;
  return code;
}

void S3Http::pause_before_retry(int retry) const {
  std::this_thread::sleep_for(
      backoff_delay(retry, config_.retry_base_delay, config_.retry_max_delay, random_unit()));
}

S3Response S3Http::send(const S3Request& request) {
  std::string last_failure;
  for (int attempt = 1; attempt <= config_.max_attempts; ++attempt) {
    if (attempt > 1) pause_before_retry(attempt - 1);
    S3Response response;
    Easy handle = acquire();
    const int code = perform(handle.get(), request, response);
    if (code != CURLE_OK) {
      // A handle that failed mid-transfer may hold a broken connection: do not keep it.
      last_failure = describe_failure(request, code, response);
      if (!retryable_transport_error(code)) throw StorageError(last_failure);
      continue;
    }
    release(std::move(handle));
    const bool retry = retryable_status(response.status) ||
                       (request.retry_also && request.retry_also(response.status, response.body));
    if (!retry) return response;
    last_failure = describe_failure(request, CURLE_OK, response);
  }
  throw StorageError(last_failure + " (after " + std::to_string(config_.max_attempts) +
                     " attempts)");
}

void S3Http::fail(const S3Request& request, const S3Response& response) {
  throw StorageError(describe_failure(request, CURLE_OK, response));
}

}  // namespace imagesprint::s3
