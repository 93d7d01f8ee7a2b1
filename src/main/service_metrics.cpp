#include "main/service_metrics.hpp"

#include <string>

namespace imagesprint {

void declare_metrics(prometheus::Registry& m, TaskQueue& queue, JobStore& jobs,
                     std::function<const http::ServerMetrics*()> server) {
  m.counter("imagesprint_http_requests_total", "HTTP requests by route pattern and status");
  m.histogram("imagesprint_conversion_seconds", "Time to convert one image",
              {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30});
  m.counter("imagesprint_images_total", "Images converted, by outcome");
  m.counter("imagesprint_jobs_finished_total", "Jobs finished, by final status");
  m.gauge_callback("imagesprint_queue_waiting", "Tasks waiting in the queue",
                   [&queue] { return static_cast<double>(queue.depth().waiting); });
  m.gauge_callback("imagesprint_queue_in_flight", "Tasks leased by workers",
                   [&queue] { return static_cast<double>(queue.depth().in_flight); });
  m.gauge_callback("imagesprint_queue_dead_letters", "Tasks that used up their deliveries",
                   [&queue] { return static_cast<double>(queue.depth().dead_letters); });
  m.gauge_callback("imagesprint_sse_connections", "Open Server-Sent Events streams", [server] {
    const http::ServerMetrics* s = server();
    return s ? static_cast<double>(s->open_sse_streams()) : 0.0;
  });
  m.gauge_callback("imagesprint_http_connections", "Open HTTP connections", [server] {
    const http::ServerMetrics* s = server();
    return s ? static_cast<double>(s->open_connections()) : 0.0;
  });
  m.gauge_callback("imagesprint_jobs_unfinished", "Jobs queued or processing",
                   [&jobs] { return static_cast<double>(jobs.unfinished_jobs().size()); });
}

WorkerObserver worker_metrics(prometheus::Registry& metrics) {
  WorkerObserver observer;
  observer.image_converted = [&metrics](const std::string& outcome, double seconds) {
    metrics.inc("imagesprint_images_total", {{"outcome", outcome}});
    metrics.observe("imagesprint_conversion_seconds", {}, seconds);
  };
  observer.job_finished = [&metrics](JobStatus status) {
    metrics.inc("imagesprint_jobs_finished_total", {{"status", std::string(to_string(status))}});
  };
  return observer;
}

std::function<void(const http::RequestRecord&)> request_metrics(prometheus::Registry& metrics) {
  return [&metrics](const http::RequestRecord& r) {
    metrics.inc("imagesprint_http_requests_total",
                {{"route", std::string(r.route)}, {"status", std::to_string(r.status)}});
  };
}

}  // namespace imagesprint
