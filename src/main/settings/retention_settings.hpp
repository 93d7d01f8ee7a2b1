#pragma once
// Settings of how long things are kept, and of the janitor that removes them when their time is
// up. Defaults: the components' own where they have one (WorkerSettings, ResumableUploads, the
// janitor's JanitorSettings).
#include <chrono>
#include <span>

#include "app/job_worker.hpp"
#include "app/resumable_uploads.hpp"
#include "app/runners.hpp"
#include "main/settings/setting_field.hpp"

namespace imagesprint {

struct RetentionSettings {
  static constexpr int DEFAULT_JANITOR_INTERVAL =
      static_cast<int>(JanitorSettings::DEFAULT_INTERVAL.count());
  static constexpr int DEFAULT_EXPIRY_NOTICE = 2 * 3600;
  /// abandoned_upload_after's default: this much longer than the longest request may last.
  static constexpr std::chrono::seconds ABANDONED_UPLOAD_MARGIN{60};

  int result_ttl = static_cast<int>(WorkerSettings::DEFAULT_RESULT_TTL.count());  // seconds
  int janitor_interval = DEFAULT_JANITOR_INTERVAL;  // seconds between expiry sweeps
  /// Seconds after which an upload that has not become a job counts as abandoned (its process
  /// died) and the janitor removes its objects; 0 = request_timeout + ABANDONED_UPLOAD_MARGIN.
  int abandoned_upload_after = 0;
  /// Seconds an unfinished resumable upload is kept after its creation.
  int upload_ttl = static_cast<int>(ResumableUploadSettings::DEFAULT_TTL.count());
  /// Seconds before a job's results expire when its owner is told so (once per job); 0: never.
  int expiry_notice = DEFAULT_EXPIRY_NOTICE;
  /// Seconds an expired job's uploaded files are kept after its results, so that it can be
  /// converted again; 0: they go with the results.
  int keep_sources = 0;

  static std::span<const SettingField<RetentionSettings>> fields();
  FieldErrors validate() const { return check_fields(*this); }
  /// abandoned_upload_after with its default resolved (`request_timeout`: the HTTP setting).
  std::chrono::seconds abandoned_upload_after_or(std::chrono::seconds request_timeout) const {
    return abandoned_upload_after > 0 ? std::chrono::seconds(abandoned_upload_after)
                                      : request_timeout + ABANDONED_UPLOAD_MARGIN;
  }
};

}  // namespace imagesprint
