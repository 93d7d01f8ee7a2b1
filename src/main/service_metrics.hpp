#pragma once
// The service's metrics at /metrics: counters that the worker and the HTTP server feed, and
// gauges read at scrape time from the queue, the jobs and the server.
#include <functional>

#include "adapters/http/server_config.hpp"
#include "adapters/http/server_metrics.hpp"
#include "adapters/prometheus/registry.hpp"
#include "app/job_worker.hpp"
#include "ports/job_store.hpp"
#include "ports/task_queue.hpp"

namespace imagesprint {

/// Declares every metric. `server` gives the running HTTP server's figures (nullptr: none yet).
void declare_metrics(prometheus::Registry& metrics, TaskQueue& queue, JobStore& jobs,
                     std::function<const http::ServerMetrics*()> server);

/// The worker's observations, counted into `metrics`.
WorkerObserver worker_metrics(prometheus::Registry& metrics);

/// The HTTP server's requests, counted by route pattern and status into `metrics`.
std::function<void(const http::RequestRecord&)> request_metrics(prometheus::Registry& metrics);

}  // namespace imagesprint
