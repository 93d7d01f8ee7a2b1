#pragma once
// The events a user receives live (SSE: /v1/events and /v1/jobs/{id}/events), one struct per type,
// each with its one serializer, all published through publish(). The job in job.* events is the
// API's own job JSON (json_views.hpp), which the webhook payloads carry too; a notification event
// is the notification exactly as GET /v1/notifications lists it. (The stream's opening
// "snapshot" is the HTTP layer's: the user's jobs as GET /v1/jobs would list them.)
#include <string_view>

#include "domain/job.hpp"
#include "ports/event_bus.hpp"
#include "ports/notification_store.hpp"

namespace imagesprint {

/// A job's counts after one of its images ended, with that image.
struct ProgressEvent {
  static constexpr std::string_view TYPE = "progress";
  const Job& job;
  const ImageRecord& image;
  UnixMillis published_at = 0;  // when the worker publishes it, after the image's commit
};

/// A job has ended: "job.failed" when no image could be converted (or the ZIP could not be made),
/// else "job.completed" (done, partial, or canceled with what was done kept).
struct JobEndedEvent {
  const Job& job;
  std::string_view type() const {
    return job.status == JobStatus::failed ? "job.failed" : "job.completed";
  }
};

/// A new in-app notification (the bell).
struct NotificationEvent {
  static constexpr std::string_view TYPE = "notification";
  const Notification& notification;
};

// Live events are a view of what the stores already committed, so a bus that cannot be reached
// (Redis down) loses only the live view: publish() logs it and returns false instead of failing
// the work that was done. A client's stream catches up from a fresh snapshot when it reconnects.
bool publish(EventBus& bus, const ProgressEvent& event);
bool publish(EventBus& bus, const JobEndedEvent& event);
bool publish(EventBus& bus, const NotificationEvent& event);

}  // namespace imagesprint
