#include "main/settings/retention_settings.hpp"

#include <array>

namespace imagesprint {
namespace {

using Field = SettingField<RetentionSettings>;

const std::array FIELDS{
    Field{.name = "result_ttl",
          .help = "Seconds until a job's results are deleted",
          .member = &RetentionSettings::result_ttl,
          .min = 1},
    Field{.name = "janitor_interval",
          .help = "Seconds between expiry sweeps",
          .member = &RetentionSettings::janitor_interval,
          .min = 1},
    Field{.name = "abandoned_upload_after",
          .help = "Seconds after which an unfinished upload's objects are removed (0: "
                  "request_timeout + 60)",
          .member = &RetentionSettings::abandoned_upload_after,
          .min = 0,
          .expected = "0 (default) or more seconds"},
    Field{.name = "upload_ttl",
          .help = "Seconds a resumable (tus) upload is kept after its creation until a job takes "
                  "it",
          .member = &RetentionSettings::upload_ttl,
          .min = 1},
    Field{.name = "expiry_notice",
          .help = "Seconds before results expire when their owner is notified (0: never)",
          .member = &RetentionSettings::expiry_notice,
          .min = 0,
          .expected = "0 (never) or more seconds"},
    Field{.name = "keep_sources",
          .help = "Seconds an expired job's uploads are kept to convert it again (0: deleted with "
                  "the results)",
          .member = &RetentionSettings::keep_sources,
          .min = 0,
          .expected = "0 (not kept) or more seconds"},
};

}  // namespace

std::span<const SettingField<RetentionSettings>> RetentionSettings::fields() {
  return FIELDS;
}

}  // namespace imagesprint
