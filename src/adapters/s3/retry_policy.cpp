#include "adapters/s3/retry_policy.hpp"

#include <curl/curl.h>

#include <algorithm>

namespace imagesprint::s3 {

bool retryable_status(long status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
         status == 504;
}

bool retryable_transport_error(int curl_code) {
  switch (static_cast<CURLcode>(curl_code)) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds base_delay,
                                        std::chrono::milliseconds max_delay, double unit) {
  const int doublings = std::clamp(retry - 1, 0, 30);
  const long double cap = std::min<long double>(
      static_cast<long double>(max_delay.count()),
      static_cast<long double>(base_delay.count()) * static_cast<long double>(1LL << doublings));
  const long double drawn = std::clamp(unit, 0.0, 1.0) * cap;
  return std::chrono::milliseconds(static_cast<long long>(drawn));
}

}  // namespace imagesprint::s3
