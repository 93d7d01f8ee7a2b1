#include "main/settings/api_settings.hpp"

#include <array>

namespace imagesprint {
namespace {

using Field = SettingField<ApiSettings>;

const std::array FIELDS{
    Field{.name = "metrics_token",
          .help = "Bearer token that /metrics requires (empty: only clients on this machine)",
          .member = &ApiSettings::metrics_token,
          .secret = true},
    Field{.name = "download_redirect",
          .help = "With S3, downloads answer 302 to a presigned URL instead of streaming through "
                  "the API",
          .member = &ApiSettings::download_redirect},
    Field{.name = "web_dir",
          .help = "Folder of the built web app served at / (default: ./web/dist, else the "
                  "checkout's)",
          .member = &ApiSettings::web_dir},
    Field{.name = "previews_per_user",
          .help = "Live previews rendered at once per user",
          .member = &ApiSettings::previews_per_user,
          .min = 1},
    Field{.name = "previews_at_once",
          .help = "Live previews rendered at once in all",
          .member = &ApiSettings::previews_at_once,
          .min = 1},
    Field{.name = "event_streams_per_user",
          .help = "Open event streams (SSE) per user",
          .member = &ApiSettings::event_streams_per_user,
          .min = 1},
    Field{.name = "signups_per_hour",
          .help = "Accounts created per client address per hour",
          .member = &ApiSettings::signups_per_hour,
          .min = 1},
    Field{.name = "password_hashers",
          .help = "Threads that hash passwords",
          .member = &ApiSettings::password_hashers,
          .min = 1,
          .max = 64},
    Field{.name = "password_queue",
          .help = "Sign-ups and log-ins in flight at most (503 beyond)",
          .member = &ApiSettings::password_queue,
          .min = 1},
};

}  // namespace

std::span<const SettingField<ApiSettings>> ApiSettings::fields() {
  return FIELDS;
}

}  // namespace imagesprint
