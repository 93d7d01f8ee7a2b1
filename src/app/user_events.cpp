#include "app/user_events.hpp"

#include "app/json_views.hpp"
#include "domain/json_text.hpp"

namespace imagesprint {

Event publish(EventBus& bus, const ProgressEvent& event) {
  return bus.publish(event.job.user_id, event.job.id, std::string(ProgressEvent::TYPE),
                     dump_json(progress_json(event.job, event.image)));
}

Event publish(EventBus& bus, const JobEndedEvent& event) {
  return bus.publish(event.job.user_id, event.job.id, std::string(event.type()),
                     dump_json(job_json(event.job)));
}

Event publish(EventBus& bus, const NotificationEvent& event) {
  const Notification& n = event.notification;
  return bus.publish(n.user_id, n.job_id, std::string(NotificationEvent::TYPE),
                     dump_json(notification_json(n)));
}

}  // namespace imagesprint
