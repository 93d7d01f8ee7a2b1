#include "app/user_events.hpp"

#include <spdlog/spdlog.h>

#include "app/json_views.hpp"
#include "domain/json_text.hpp"
#include "ports/storage_error.hpp"

namespace imagesprint {
namespace {

bool send(EventBus& bus, std::int64_t user, const std::string& job, std::string_view type,
          std::string data) {
  try {
    bus.publish(user, job, std::string(type), std::move(data));
    return true;
  } catch (const StorageError& e) {
    spdlog::warn(R"({{"type":"event_lost","event":"{}","job":"{}","error":{}}})", type, job,
                 dump_json(std::string(e.what())));
    return false;
  }
}

}  // namespace

bool publish(EventBus& bus, const ProgressEvent& event) {
  return send(bus, event.job.user_id, event.job.id, ProgressEvent::TYPE,
              dump_json(progress_json(event.job, event.image, event.published_at)));
}

bool publish(EventBus& bus, const JobEndedEvent& event) {
  return send(bus, event.job.user_id, event.job.id, event.type(), dump_json(job_json(event.job)));
}

bool publish(EventBus& bus, const NotificationEvent& event) {
  const Notification& n = event.notification;
  return send(bus, n.user_id, n.job_id, NotificationEvent::TYPE, dump_json(notification_json(n)));
}

}  // namespace imagesprint
