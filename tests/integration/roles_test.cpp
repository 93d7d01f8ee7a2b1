// `imagesprint api` and `imagesprint worker` as separate processes: one API and two workers on
// one Redis queue and bus (the redis-server fixture), one database file and one object folder.
// The API converts nothing; the workers do; the API's event stream shows what the workers
// publish; exactly one worker runs the janitor, and when it is killed the other takes over.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "job_checks.hpp"
#include "serve_process.hpp"
#include "support/corpus.hpp"

namespace imagesprint {
namespace {

using nlohmann::json;
using test::corpus_file;
using test::FilePart;
using test::ServeProcess;

/// The sum of a metric's samples in a /metrics text (0 when absent). (By hand, not std::regex:
/// GCC 12 warns inside <regex> under the sanitizers' -O1.)
double metric(ServeProcess& process, const std::string& name) {
  std::istringstream lines(process.get("/metrics").body);
  double sum = 0;
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.starts_with(name) || line.size() <= name.size()) continue;
    const char after = line[name.size()];
    if (after != ' ' && after != '{') continue;  // another metric whose name starts the same
    sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

bool on_redis() {
  const char* on = std::getenv("IMAGESPRINT_SERVE_ON");
  return on != nullptr && std::string(on).find("redis=") != std::string::npos;
}

TEST(Roles, AnApiAndTwoWorkersShareTheWorkAndOneJanitor) {
  if (!on_redis()) GTEST_SKIP() << "needs the redis-server fixture (IMAGESPRINT_SERVE_ON)";
  ServeProcess api({}, {}, "api");
  const std::vector<std::string> worker_flags{"--workers", "1", "--janitor-interval", "1"};
  auto first = std::make_unique<ServeProcess>(worker_flags, api.data(), "worker");
  auto second = std::make_unique<ServeProcess>(worker_flags, api.data(), "worker");

  // A worker's listener answers only the system routes.
  EXPECT_EQ(first->get("/healthz").status, 200);
  EXPECT_EQ(first->get("/readyz").status, 200);
  EXPECT_EQ(first->get("/v1/jobs").status, 404);

  const std::string token = api.signup("roles@example.com");
  std::vector<FilePart> files;
  for (const std::string name :
       {"photos/path-2560x1600.jpg", "photos/colorfulcups-2560x1600.jpg",
        "photos/eveningglow-2560x1600.jpg", "photos/fallenleaf-2560x1600.jpg",
        "orientation/Landscape_5.jpg", "edge/with-alpha.png"}) {
    files.push_back(corpus_file(name));
  }
  const auto created = api.post_multipart(
      "/v1/jobs", files, {{"options", R"({"width": 320, "format": "webp"})"}}, token);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string job = json::parse(created.body)["id"];

  // The API's stream carries the workers' progress (through the Redis bus) to the end.
  const std::string events =
      api.read_events("/v1/jobs/" + job + "/events", token, "event: job.completed", 120);
  EXPECT_NE(events.find("event: progress"), std::string::npos) << events;
  ASSERT_NE(events.find("event: job.completed"), std::string::npos) << events;
  const json done = json::parse(api.get("/v1/jobs/" + job, token).body);
  EXPECT_EQ(done["status"], "done") << done.dump();
  EXPECT_EQ(done["done"], 6);
  EXPECT_EQ(api.get("/v1/jobs/" + job + "/archive", token).status, 200);

  // Every image was converted once, by the workers; the API converted none.
  EXPECT_EQ(metric(api, "imagesprint_images_total"), 0);
  EXPECT_EQ(
      metric(*first, "imagesprint_images_total") + metric(*second, "imagesprint_images_total"), 6);

  // One janitor at a time; when its process dies, the other worker takes over (the lease runs
  // three janitor intervals: 3 s here).
  const auto active = [](ServeProcess& p) { return metric(p, "imagesprint_janitor_active"); };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (active(*first) + active(*second) < 1 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_EQ(active(*first) + active(*second), 1) << "exactly one janitor";
  std::unique_ptr<ServeProcess>& holder = active(*first) == 1 ? first : second;
  std::unique_ptr<ServeProcess>& other = active(*first) == 1 ? second : first;
  holder->kill_hard();
  while (active(*other) < 1 &&
         std::chrono::steady_clock::now() < deadline + std::chrono::seconds(30))
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(active(*other), 1) << "the surviving worker did not take the janitor over";

  // SIGTERM drains: the worker stops leasing, finishes what it holds and exits 0.
  EXPECT_EQ(other->stop_gracefully(), 0);
}

}  // namespace
}  // namespace imagesprint
