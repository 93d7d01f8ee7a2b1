#include "adapters/prometheus/registry.hpp"

#include <gtest/gtest.h>

namespace imagesprint::prometheus {
namespace {

TEST(PrometheusRegistry, RendersTheTextFormat) {
  Registry r;
  r.counter("http_requests_total", "Requests by route and status");
  r.histogram("conversion_seconds", "Time to convert one image", {0.1, 1});
  r.gauge_callback("queue_depth", "Tasks waiting", [] { return 3.0; });
  r.inc("http_requests_total", {{"route", "/v1/jobs"}, {"status", "201"}});
  r.inc("http_requests_total", {{"route", "/v1/jobs"}, {"status", "201"}});
  r.inc("http_requests_total", {{"route", "/v1/jobs/{id}"}, {"status", "404"}});
  r.observe("conversion_seconds", {}, 0.05);
  r.observe("conversion_seconds", {}, 0.5);
  r.observe("conversion_seconds", {}, 5);
  const std::string text = r.render();
  EXPECT_NE(text.find("# TYPE http_requests_total counter\n"), std::string::npos) << text;
  EXPECT_NE(text.find("http_requests_total{route=\"/v1/jobs\",status=\"201\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("http_requests_total{route=\"/v1/jobs/{id}\",status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("conversion_seconds_bucket{le=\"0.1\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("conversion_seconds_bucket{le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("conversion_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("conversion_seconds_sum 5.55\n"), std::string::npos) << text;
  EXPECT_NE(text.find("conversion_seconds_count 3\n"), std::string::npos);
  EXPECT_NE(text.find("queue_depth 3\n"), std::string::npos);
}

TEST(PrometheusRegistry, EscapesLabelsAndRefusesUndeclared) {
  Registry r;
  r.counter("c", "help");
  r.inc("c", {{"name", "a\"b\\c\nd"}});
  EXPECT_NE(r.render().find(R"(c{name="a\"b\\c\nd"} 1)"), std::string::npos) << r.render();
  EXPECT_THROW(r.inc("nope"), std::logic_error);
  EXPECT_THROW(r.observe("c", {}, 1), std::logic_error);
}

}  // namespace
}  // namespace imagesprint::prometheus
