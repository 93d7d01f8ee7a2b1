#pragma once
// What the worker and the janitor call when a job ends, so that other use cases (webhooks) can
// act on it without the worker knowing them.
#include <functional>
#include <string>

#include "domain/job.hpp"

namespace imagesprint {

/// (the job in its final state, the event: "job.completed", "job.failed" or "job.expired")
using JobEndedHook = std::function<void(const Job& job, const std::string& event)>;

}  // namespace imagesprint
