#pragma once
// Settings of the conversion work: the worker pool (its threads, the task lease), the task
// queue's delivery limits and the engine's memory budget. Defaults: the components' own.
#include <cstdint>
#include <span>

#include "app/job_worker.hpp"
#include "imaging/engine.hpp"
#include "main/settings/setting_field.hpp"
#include "ports/task_queue.hpp"

namespace imagesprint {

struct WorkSettings {
  /// Conversions run this many nice levels below the HTTP IO threads (README "Threads and
  /// priorities").
  static constexpr int DEFAULT_WORKER_NICE = 10;
  static constexpr int DEFAULT_QUEUE_LEASE =
      static_cast<int>(WorkerSettings::DEFAULT_LEASE.count());

  int workers = 0;                        // images converted at once; 0 = cores
  int worker_nice = DEFAULT_WORKER_NICE;  // nice levels conversions run below the IO threads
  int queue_lease = DEFAULT_QUEUE_LEASE;  // seconds a task stays leased before redelivery
  int max_deliveries = TaskQueue::DEFAULT_MAX_DELIVERIES;  // then the task is dead-lettered
  int max_images_in_flight_per_user = 0;  // images of one user converted at once; 0 = no cap
  /// Memory all conversions of the process may take at once, by their estimated peaks; 0 = none.
  std::int64_t conversion_memory_mib =
      static_cast<std::int64_t>(EngineConfig::DEFAULT_MEMORY_BUDGET_MIB);

  static std::span<const SettingField<WorkSettings>> fields();
  FieldErrors validate() const { return check_fields(*this); }
  /// Worker threads: `workers`, or one per core.
  int worker_threads() const;
};

}  // namespace imagesprint
