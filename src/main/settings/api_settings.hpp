#pragma once
// Settings of the REST API and the web app: who may read /metrics, how downloads leave, where the
// web app is, and the API's fair-share limits (defaults: api::ApiLimits').
#include <span>
#include <string>

#include "adapters/http/api/api_guards.hpp"
#include "main/settings/setting_field.hpp"

namespace imagesprint {

struct ApiSettings {
  using Limits = api::ApiLimits;

  std::string metrics_token;      // bearer token for /metrics; empty = loopback clients only
  bool download_redirect = true;  // S3: downloads answer 302 to a presigned URL
  std::string web_dir;            // the built web app; empty: ./web/dist or beside the binary
  int previews_per_user = Limits::DEFAULT_PREVIEWS_PER_USER;
  int previews_at_once = Limits::DEFAULT_PREVIEWS_AT_ONCE;
  int event_streams_per_user = Limits::DEFAULT_EVENT_STREAMS_PER_USER;
  int signups_per_hour = Limits::DEFAULT_SIGNUPS_PER_HOUR;
  int password_hashers = Limits::DEFAULT_PASSWORD_HASHERS;
  int password_queue = Limits::DEFAULT_PASSWORD_QUEUE;

  static std::span<const SettingField<ApiSettings>> fields();
  FieldErrors validate() const { return check_fields(*this); }
};

}  // namespace imagesprint
