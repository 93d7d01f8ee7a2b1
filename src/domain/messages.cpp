#include "domain/messages.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace imagesprint {
namespace {

struct Entry {
  std::string_view key;
  std::string_view en;
  std::string_view ko;
};

// clang-format off
constexpr std::array CATALOG{
    // Errors, one sentence per code (src/domain/error.hpp, the HTTP layer's status defaults and
    // the codes single routes send). Korean answers use these, with "{field}: " in front when the
    // error names a field; English answers keep the site's own sentence, which says more.
    Entry{"error.invalid_option", "an option has a value that is not accepted", "옵션 값이 올바르지 않습니다"},
    Entry{"error.unsupported_format", "the file is not an accepted image type", "지원하지 않는 이미지 형식입니다"},
    Entry{"error.too_many_pixels", "the image has more pixels than the limit", "이미지의 픽셀 수가 한도를 넘습니다"},
    Entry{"error.too_large", "too large: over the limit", "한도보다 큽니다"},
    Entry{"error.corrupt_image", "the image data is damaged or truncated", "이미지 데이터가 손상되었거나 잘렸습니다"},
    Entry{"error.timeout", "the work took longer than its time budget", "처리 시간이 제한을 넘었습니다"},
    Entry{"error.invalid_request", "the request is not valid", "요청이 올바르지 않습니다"},
    Entry{"error.unauthorized", "sign in first", "먼저 로그인하세요"},
    Entry{"error.not_found", "not found", "찾을 수 없습니다"},
    Entry{"error.conflict", "this conflicts with what exists or with the current state", "현재 상태와 충돌합니다"},
    Entry{"error.idempotency_key_reused", "this Idempotency-Key was already used for a different request", "이 Idempotency-Key는 이미 다른 요청에 사용되었습니다"},
    Entry{"error.rate_limited", "too many attempts; wait and try again", "시도가 너무 많습니다. 잠시 후 다시 시도하세요"},
    Entry{"error.quota_exceeded", "a limit of the account is reached", "계정 한도에 도달했습니다"},
    Entry{"error.unavailable", "the service is unavailable right now; try again shortly", "지금은 서비스를 사용할 수 없습니다. 잠시 후 다시 시도하세요"},
    Entry{"error.internal", "something went wrong on the server", "서버에서 문제가 발생했습니다"},
    Entry{"error.bad_request", "the request is malformed", "요청 형식이 잘못되었습니다"},
    Entry{"error.forbidden", "this is not allowed", "허용되지 않습니다"},
    Entry{"error.method_not_allowed", "this method is not allowed here", "이 주소에서는 허용되지 않는 메서드입니다"},
    Entry{"error.request_timeout", "the request took too long to arrive", "요청이 너무 늦게 도착했습니다"},
    Entry{"error.length_required", "the request must say its length", "요청 길이(Content-Length)가 필요합니다"},
    Entry{"error.payload_too_large", "the request is too large", "요청이 너무 큽니다"},
    Entry{"error.unsupported_media_type", "this content type is not accepted", "지원하지 않는 콘텐츠 형식입니다"},
    Entry{"error.precondition_failed", "the file is not the version the request names", "요청한 버전의 파일이 아닙니다"},
    Entry{"error.range_not_satisfiable", "the requested range is outside the file", "요청한 범위가 파일 밖입니다"},
    Entry{"error.expectation_failed", "the Expect header is not supported", "Expect 헤더를 지원하지 않습니다"},
    Entry{"error.unprocessable_entity", "the request cannot be processed", "요청을 처리할 수 없습니다"},
    Entry{"error.too_many_requests", "too many requests; wait and try again", "요청이 너무 많습니다. 잠시 후 다시 시도하세요"},
    Entry{"error.header_too_large", "the request header is too large", "요청 헤더가 너무 큽니다"},
    Entry{"error.not_implemented", "this is not implemented", "구현되지 않은 기능입니다"},
    Entry{"error.expired", "the results expired and were deleted", "결과가 만료되어 삭제되었습니다"},
    Entry{"error.invalid_json", "the body is not valid JSON", "본문이 올바른 JSON이 아닙니다"},
    Entry{"error.invalid_query", "the query string is malformed", "쿼리 문자열이 잘못되었습니다"},
    Entry{"error.busy", "the server is busy; try again shortly", "서버가 바쁩니다. 잠시 후 다시 시도하세요"},
    Entry{"error.cross_origin", "a change must come from this site", "변경 요청은 이 사이트에서 보내야 합니다"},
    Entry{"error.link_expired", "the link expired or its signature is wrong", "링크가 만료되었거나 서명이 올바르지 않습니다"},
    Entry{"error.sources_gone", "the uploaded files of this job are no longer kept", "이 작업의 업로드 파일이 더 이상 보관되어 있지 않습니다"},
    Entry{"error.unsupported_version", "this upload protocol version is not supported (tus 1.0.0 is)", "지원하지 않는 업로드 프로토콜 버전입니다 (tus 1.0.0을 지원합니다)"},

    // Errors with their numbers: the limits and quotas.
    Entry{"error.quota_exceeded.max_active_jobs", "max_active_jobs: at most {max} jobs may be queued or running at once", "max_active_jobs: 대기 중이거나 실행 중인 작업은 최대 {max}개입니다"},
    Entry{"error.quota_exceeded.max_queued_images", "max_queued_images: at most {max} images may wait for conversion at once", "max_queued_images: 변환을 기다리는 이미지는 최대 {max}장입니다"},
    Entry{"error.quota_exceeded.max_stored_bytes", "max_stored_bytes: the account's jobs already hold {used:bytes}; at most {max:bytes} may be kept (delete older jobs)", "max_stored_bytes: 계정의 작업이 이미 {used:bytes}를 차지합니다. 최대 {max:bytes}까지 보관할 수 있습니다 (오래된 작업을 삭제하세요)"},
    Entry{"error.quota_exceeded.max_presets", "max_presets: an account has at most {max} presets; delete one first", "max_presets: 프리셋은 계정당 최대 {max}개입니다. 먼저 하나를 삭제하세요"},
    Entry{"error.quota_exceeded.webhooks", "webhooks: an account has at most {max} webhooks; delete one first", "webhooks: 웹훅은 계정당 최대 {max}개입니다. 먼저 하나를 삭제하세요"},
    Entry{"error.too_large.file", "\"{name}\": larger than the limit of {max:bytes}", "\"{name}\": {max:bytes} 한도보다 큽니다"},
    Entry{"error.too_large.part", "{part} is larger than {max} bytes", "{part}: {max}바이트보다 큽니다"},
    Entry{"error.too_large.files", "\"{name}\": too many files; a job takes at most {max}", "\"{name}\": 파일이 너무 많습니다. 작업 하나에 최대 {max}개까지입니다"},
    Entry{"error.invalid_request.unknown_field", "{name}: unknown field (expected {expected})", "{name}: 알 수 없는 필드입니다 (받는 필드: {expected})"},
    Entry{"error.invalid_request.nameless_field", "the body has a field without a name (\"\")", "본문에 이름이 없는 필드가 있습니다 (\"\")"},
    Entry{"error.invalid_request.unknown_query", "{name}: unknown query parameter (expected {expected})", "{name}: 알 수 없는 쿼리 매개변수입니다 (받는 매개변수: {expected})"},
    Entry{"error.invalid_request.no_query", "{name}: unknown query parameter (this route takes none)", "{name}: 알 수 없는 쿼리 매개변수입니다 (이 경로는 쿼리 매개변수를 받지 않습니다)"},
    Entry{"error.invalid_request.nameless_query", "the query has a parameter without a name (\"=...\")", "쿼리에 이름이 없는 매개변수가 있습니다 (\"=...\")"},
    Entry{"error.invalid_request.repeated_query", "{name}: given more than once in the query", "{name}: 쿼리에 두 번 이상 들어 있습니다"},
    Entry{"error.invalid_request.idempotency_key", "Idempotency-Key: expected at most {max} printable ASCII characters", "Idempotency-Key: 출력 가능한 ASCII 문자로 최대 {max}자까지입니다"},

    // A failed image, as the job page says it (the engine's own words stay in `detail`).
    Entry{"image.invalid_option", "An option cannot be applied to this image", "이 이미지에는 옵션을 적용할 수 없습니다"},
    Entry{"image.unsupported_format", "Not an accepted image type", "지원하지 않는 이미지 형식입니다"},
    Entry{"image.too_many_pixels", "The image has more pixels than the limit", "이미지의 픽셀 수가 한도를 넘습니다"},
    Entry{"image.too_large", "The file is larger than the limit", "파일이 한도보다 큽니다"},
    Entry{"image.corrupt_image", "The image data is damaged or truncated", "이미지 데이터가 손상되었거나 잘렸습니다"},
    Entry{"image.timeout", "Converting took longer than the time budget", "변환 시간이 제한을 넘었습니다"},
    Entry{"image.invalid_request", "The image could not be converted", "이미지를 변환할 수 없습니다"},
    Entry{"image.unauthorized", "The image could not be converted", "이미지를 변환할 수 없습니다"},
    Entry{"image.not_found", "The uploaded file is missing", "업로드한 파일이 없습니다"},
    Entry{"image.conflict", "The image could not be converted", "이미지를 변환할 수 없습니다"},
    Entry{"image.idempotency_key_reused", "The image could not be converted", "이미지를 변환할 수 없습니다"},
    Entry{"image.rate_limited", "The image could not be converted; retry later", "이미지를 변환할 수 없습니다. 나중에 다시 시도하세요"},
    Entry{"image.quota_exceeded", "The image could not be converted; a limit is reached", "한도에 도달해 이미지를 변환할 수 없습니다"},
    Entry{"image.unavailable", "The image could not be converted; retry later", "이미지를 변환할 수 없습니다. 나중에 다시 시도하세요"},
    Entry{"image.internal", "The image could not be converted (server error)", "서버 오류로 이미지를 변환할 수 없습니다"},

    // In-app notifications, by type.
    Entry{"notification.JOB_STARTED", "Job \"{name}\" started: {total} images", "작업 \"{name}\" 시작: 이미지 {total}장"},
    Entry{"notification.JOB_DONE", "Job \"{name}\" is done: {done} images converted", "작업 \"{name}\" 완료: 이미지 {done}장 변환"},
    Entry{"notification.JOB_PARTIAL", "Job \"{name}\" finished with {failed} of {total} images failed", "작업 \"{name}\" 종료: 이미지 {total}장 중 {failed}장 실패"},
    Entry{"notification.JOB_FAILED", "Job \"{name}\" failed: no image could be converted", "작업 \"{name}\" 실패: 변환된 이미지가 없습니다"},
    Entry{"notification.JOB_FAILED.archive", "Job \"{name}\" failed: its results could not be put together ({error})", "작업 \"{name}\" 실패: 결과를 하나로 묶을 수 없었습니다 ({error})"},
    Entry{"notification.JOB_CANCELED", "Job \"{name}\" canceled: {done} of {total} images were converted and kept", "작업 \"{name}\" 취소: 이미지 {total}장 중 {done}장이 변환되어 보관됩니다"},
    Entry{"notification.RESULT_EXPIRED", "The results of job \"{name}\" expired and were deleted", "작업 \"{name}\"의 결과가 만료되어 삭제되었습니다"},
    Entry{"notification.RESULT_EXPIRING", "The results of job \"{name}\" will be deleted in {remaining:duration}; download them before then", "작업 \"{name}\"의 결과가 {remaining:duration} 후 삭제됩니다. 그 전에 내려받으세요"},
    Entry{"notification.WEBHOOK_DISABLED", "Webhook {webhook_id} ({type}) was disabled after {failures} failed deliveries in a row: {error}", "웹훅 {webhook_id} ({type})이(가) 연속 {failures}번 전송에 실패해 비활성화되었습니다: {error}"},
};
// clang-format on

const Entry* find(std::string_view key) {
  const auto it =
      std::find_if(CATALOG.begin(), CATALOG.end(), [&](const Entry& e) { return e.key == key; });
  return it == CATALOG.end() ? nullptr : &*it;
}

std::string value_text(const nlohmann::json& value, std::string_view format, Language language) {
  if (value.is_number_integer() || value.is_number_unsigned()) {
    const long long n = value.get<long long>();
    if (format == "bytes") return format_bytes(n, language);
    if (format == "duration") return format_duration(n, language);
    if (format == "pixels") return format_pixels(n, language);
    return format_count(n, language);
  }
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) return value.dump();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  return {};
}

/// At most `decimals` decimals, without trailing zeros: 20 -> "20", 1.953 -> "1.95".
std::string short_decimal(double value, int decimals) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  std::string out = text;
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  return out;
}

}  // namespace

std::string_view to_string(Language language) {
  return language == Language::ko ? "ko" : "en";
}

std::optional<std::string> render_message(std::string_view key, const MessageParams& params,
                                          Language language) {
  const Entry* entry = find(key);
  if (entry == nullptr) return std::nullopt;
  const std::string_view text = language == Language::ko ? entry->ko : entry->en;
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t open = text.find('{', at);
    if (open == std::string_view::npos) break;
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(text.substr(at, open - at));
    const std::string_view spec = text.substr(open + 1, close - open - 1);
    const std::size_t colon = spec.find(':');
    const std::string name(spec.substr(0, colon));
    const std::string_view format =
        colon == std::string_view::npos ? std::string_view{} : spec.substr(colon + 1);
    if (!params.is_object() || !params.contains(name)) return std::nullopt;
    out += value_text(params.at(name), format, language);
    at = close + 1;
  }
  out.append(text.substr(at));
  return out;
}

bool has_message(std::string_view key) {
  return find(key) != nullptr;
}

std::vector<std::string_view> message_keys() {
  std::vector<std::string_view> keys;
  for (const Entry& e : CATALOG) keys.push_back(e.key);
  return keys;
}

std::string_view message_template(std::string_view key, Language language) {
  const Entry* entry = find(key);
  if (entry == nullptr) return {};
  return language == Language::ko ? entry->ko : entry->en;
}

std::string format_count(long long value, Language /*language*/) {
  // English and Korean both group digits by three with a comma.
  const bool negative = value < 0;
  std::string digits = std::to_string(negative ? -static_cast<unsigned long long>(value)
                                               : static_cast<unsigned long long>(value));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return negative ? "-" + out : out;
}

std::string format_bytes(long long bytes, Language language) {
  constexpr std::array<std::string_view, 4> UNITS{"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024)
    return format_count(bytes, language) + (language == Language::ko ? "바이트" : " bytes");
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  value /= 1024;
  while (value >= 1024 && unit + 1 < UNITS.size()) {
    value /= 1024;
    ++unit;
  }
  // Two decimals: a limit of 2000 bytes is "1.95 KiB", not a rounded "2 KiB".
  return short_decimal(value, 2) + " " + std::string(UNITS[unit]);
}

std::string format_duration(long long seconds, Language language) {
  const bool ko = language == Language::ko;
  const long long days = seconds / 86400;
  const long long hours = seconds % 86400 / 3600;
  const long long minutes = seconds % 3600 / 60;
  const long long secs = seconds % 60;
  std::vector<std::string> parts;
  const auto add = [&](long long n, std::string_view one, std::string_view many,
                       std::string_view korean) {
    if (n == 0) return;
    parts.push_back(ko ? format_count(n, language) + std::string(korean)
                       : format_count(n, language) + " " + std::string(n == 1 ? one : many));
  };
  add(days, "day", "days", "일");
  add(hours, "hour", "hours", "시간");
  add(minutes, "minute", "minutes", "분");
  // Seconds only matter in a short duration.
  if (days == 0 && hours == 0) add(secs, "second", "seconds", "초");
  if (parts.empty()) return ko ? "0초" : "0 seconds";
  // Two units at most: "1 day 3 hours", never down to the second.
  if (parts.size() > 2) parts.resize(2);
  return parts.size() == 1 ? parts[0] : parts[0] + " " + parts[1];
}

std::string format_pixels(long long pixels, Language /*language*/) {
  return short_decimal(static_cast<double>(pixels) / 1e6, 1) + " MP";
}

}  // namespace imagesprint
