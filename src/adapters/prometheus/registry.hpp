#pragma once
// A small Prometheus registry: labelled counters, gauges and histograms, and the text exposition
// format (version 0.0.4) for GET /metrics. Written by hand: prometheus-cpp is not packaged for
// Debian 12, and what we need is a few hundred lines without its HTTP server.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ports/metrics_exposition.hpp"

namespace imagesprint::prometheus {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Registry final : public MetricsExposition {
 public:
  /// Declares a family; `kind` is "counter", "gauge" or "histogram". Names must be unique.
  void counter(const std::string& name, const std::string& help);
  void gauge(const std::string& name, const std::string& help);
  /// Upper bounds, increasing; +Inf is implicit.
  void histogram(const std::string& name, const std::string& help, std::vector<double> buckets);
  /// A gauge read when scraping (queue depth, open connections ...).
  void gauge_callback(const std::string& name, const std::string& help,
                      std::function<double()> read);

  void inc(const std::string& name, const Labels& labels = {}, double by = 1.0);
  void set(const std::string& name, const Labels& labels, double value);
  void observe(const std::string& name, const Labels& labels, double value);

  /// The whole registry in the text exposition format.
  std::string render() const override;

 private:
  struct Series {
    double value = 0;                   // counter / gauge
    std::vector<std::uint64_t> counts;  // histogram: per bucket (not cumulative)
    double sum = 0;
    std::uint64_t count = 0;
  };
  struct Family {
    std::string kind;
    std::string help;
    std::vector<double> buckets;
    std::function<double()> read;
    std::map<Labels, Series> series;
  };
  Family& family(const std::string& name, const char* kind);

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
};

/// Escapes a label value for the exposition format (backslash, quote, newline).
std::string escape_label(const std::string& value);

}  // namespace imagesprint::prometheus
