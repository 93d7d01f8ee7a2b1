#include "adapters/prometheus/registry.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace imagesprint::prometheus {
namespace {

std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest exact form
  return std::string(buf, end);
}

std::string label_text(const Labels& labels, const std::string& extra_key = {},
                       const std::string& extra = {}) {
  if (labels.empty() && extra_key.empty()) return "";
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    out += (first ? "" : ",") + k + "=\"" + escape_label(v) + "\"";
    first = false;
  }
  if (!extra_key.empty()) out += (first ? "" : ",") + extra_key + "=\"" + extra + "\"";
  return out + "}";
}

}  // namespace

std::string escape_label(const std::string& value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

Registry::Family& Registry::family(const std::string& name, const char* kind) {
  const auto it = families_.find(name);
  if (it == families_.end()) throw std::logic_error("metric not declared: " + name);
  if (it->second.kind != kind && !(it->second.kind == "gauge" && std::string(kind) == "counter")) {
    throw std::logic_error("metric " + name + " is a " + it->second.kind);
  }
  return it->second;
}

void Registry::counter(const std::string& name, const std::string& help) {
  const std::lock_guard lock(mutex_);
  families_[name] = Family{"counter", help, {}, nullptr, {}};
}

void Registry::gauge(const std::string& name, const std::string& help) {
  const std::lock_guard lock(mutex_);
  families_[name] = Family{"gauge", help, {}, nullptr, {}};
}

void Registry::histogram(const std::string& name, const std::string& help,
                         std::vector<double> buckets) {
  if (!std::is_sorted(buckets.begin(), buckets.end()))
    throw std::logic_error("buckets must increase: " + name);
  const std::lock_guard lock(mutex_);
  families_[name] = Family{"histogram", help, std::move(buckets), nullptr, {}};
}

void Registry::gauge_callback(const std::string& name, const std::string& help,
                              std::function<double()> read) {
  const std::lock_guard lock(mutex_);
  families_[name] = Family{"gauge", help, {}, std::move(read), {}};
}

void Registry::inc(const std::string& name, const Labels& labels, double by) {
  const std::lock_guard lock(mutex_);
  family(name, "counter").series[labels].value += by;
}

void Registry::set(const std::string& name, const Labels& labels, double value) {
  const std::lock_guard lock(mutex_);
  family(name, "gauge").series[labels].value = value;
}

void Registry::observe(const std::string& name, const Labels& labels, double value) {
  const std::lock_guard lock(mutex_);
  Family& f = family(name, "histogram");
  Series& s = f.series[labels];
  if (s.counts.empty()) s.counts.assign(f.buckets.size() + 1, 0);
  const auto bucket =
      std::lower_bound(f.buckets.begin(), f.buckets.end(), value) - f.buckets.begin();
  ++s.counts[static_cast<std::size_t>(bucket)];
  s.sum += value;
  ++s.count;
}

std::string Registry::render() const {
  const std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, f] : families_) {
    out += "# HELP " + name + " " + f.help + "\n# TYPE " + name + " " + f.kind + "\n";
    if (f.read) {
      out += name + " " + number(f.read()) + "\n";
      continue;
    }
    for (const auto& [labels, s] : f.series) {
      if (f.kind != "histogram") {
        out += name + label_text(labels) + " " + number(s.value) + "\n";
        continue;
      }
      std::uint64_t cumulative = 0;
      for (std::size_t b = 0; b <= f.buckets.size(); ++b) {
        cumulative += s.counts[b];
        const std::string le = b < f.buckets.size() ? number(f.buckets[b]) : "+Inf";
        out += name + "_bucket" + label_text(labels, "le", le) + " " + std::to_string(cumulative) +
               "\n";
      }
      out += name + "_sum" + label_text(labels) + " " + number(s.sum) + "\n";
      out += name + "_count" + label_text(labels) + " " + std::to_string(s.count) + "\n";
    }
  }
  return out;
}

}  // namespace imagesprint::prometheus
