#pragma once
// When a failed S3 request is tried again, and after how long: 5xx (500, 502, 503 SlowDown,
// 504), 429, 408 and network failures (refused, reset, timed out) are worth another attempt;
// other answers are final. Backoff is "full jitter" (a random time up to an exponential cap), so
// many clients refused at once do not come back at once.
#include <chrono>

namespace imagesprint::s3 {

/// Whether an HTTP status is worth another attempt.
bool retryable_status(long status);

/// Whether a libcurl result (CURLcode as int) is a network failure worth another attempt.
bool retryable_transport_error(int curl_code);

/// The wait before retry `retry` (1 for the first retry): `unit` (0 to 1, a uniform random
/// draw) times min(max_delay, base_delay * 2^(retry-1)).
std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds base_delay,
                                        std::chrono::milliseconds max_delay, double unit);

}  // namespace imagesprint::s3
