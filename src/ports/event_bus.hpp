#pragma once
// Port: live events to the users' browsers (progress, job.completed, job.failed, notification).
// Every event belongs to one user; a subscriber only ever sees its own user's events.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/whole_number.hpp"

namespace imagesprint {

struct Event {
  std::string id;  // "N" or "N-M", N increasing per bus (event_sequence); the SSE "id:"
  std::int64_t user_id = 0;
  std::string job_id;  // empty for events not about a job
  std::string type;    // "progress", "job.completed", "job.failed", "notification" ...
  std::string data;    // JSON text
};

/// The number that orders a bus's ids: N of "N" or of "N-M" (a Redis stream id); 0 for text that
/// is not an id.
inline std::uint64_t event_sequence(std::string_view id) {
  return whole_number<std::uint64_t>(id.substr(0, id.find('-'))).value_or(0);
}

/// Dropping it unsubscribes; after its destructor returns the handler is never called again.
class Subscription {
 public:
  virtual ~Subscription() = default;
};

class EventBus {
 public:
  using Handler = std::function<void(const Event&)>;
  virtual ~EventBus() = default;

  /// Assigns the id and delivers to the user's current subscribers. Returns the event with its id.
  /// An implementation whose store cannot be reached may hold the event and publish it (in
  /// order) once it can, returning it with an empty id meanwhile; otherwise StorageError.
  virtual Event publish(std::int64_t user_id, std::string job_id, std::string type,
                        std::string data) = 0;

  /// Calls `handler` (on the publisher's thread; keep it short) for each later event of `user_id`.
  virtual std::unique_ptr<Subscription> subscribe(std::int64_t user_id, Handler handler) = 0;

  /// The user's events after `last_id`, oldest first, if the bus still holds all of them;
  /// nullopt when some were already dropped (the caller then sends a fresh snapshot).
  virtual std::optional<std::vector<Event>> replay_after(std::int64_t user_id,
                                                         const std::string& last_id) = 0;
};

}  // namespace imagesprint
