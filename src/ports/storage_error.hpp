#pragma once
// The exception every storage port (TaskQueue, ObjectStore) throws when the technology behind it
// fails: disk full, permission denied, database locked for too long, server unreachable. Expected
// outcomes (no such object, nothing to lease, a lease already lost) are return values instead.
// Callers treat it as retryable: the worker nacks its task, the HTTP layer answers 503.
#include <stdexcept>
#include <string>

namespace imagesprint {

class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace imagesprint
