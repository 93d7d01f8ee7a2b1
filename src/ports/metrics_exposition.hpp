#pragma once
// Port: the service's metrics as text for a scraper (GET /metrics), in the Prometheus text
// exposition format. The HTTP API serves it without knowing the registry behind it.
#include <string>

namespace imagesprint {

class MetricsExposition {
 public:
  virtual ~MetricsExposition() = default;
  virtual std::string render() const = 0;
};

}  // namespace imagesprint
