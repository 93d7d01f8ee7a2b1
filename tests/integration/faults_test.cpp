// Faults the distributed back ends meet, against `imagesprint serve` on servers of the test's own
// (started with the fixtures' scripts, so restarting them disturbs no other test): redis-server
// killed (SIGKILL) and started again mid-job, with AOF on; MariaDB restarted mid-job, at once
// and after 8 s down. Each job ends done with every image exactly once. And requests while
// mariadbd is down are answered 503, not dropped.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <clocale>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "job_checks.hpp"
#include "serve_process.hpp"
#include "support/corpus.hpp"

namespace imagesprint {
namespace {

using nlohmann::json;
using test::FilePart;
using test::ServeProcess;
namespace fs = std::filesystem;

/// A server started by one of tests/support/*_server.sh for this test alone; stopped at the end.
class PrivateServer {
 public:
  PrivateServer(std::string script, const std::string& name)
      : script_(std::move(script)),
        state_(fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".state")) {
    run("start");
  }
  ~PrivateServer() {
    try {
      run("stop");
    } catch (...) {
    }
    fs::remove(state_);
  }
  void run(const std::string& command, const std::string& argument = "") const {
    const std::string line = "bash " + script_ + " " + command + " " + state_.string() +
                             (argument.empty() ? "" : " " + argument);
    if (std::system(line.c_str()) != 0) throw std::runtime_error(line + " failed");
  }
  std::string value(const std::string& name) const { return test::state_value(state_, name); }
  std::string state() const { return state_.string(); }

 private:
  std::string script_;
  fs::path state_;
};

std::vector<FilePart> photos(int n) {
  std::vector<FilePart> files;
  const std::vector<std::string> names{
      "photos/path-2560x1600.jpg", "photos/colorfulcups-2560x1600.jpg",
      "photos/eveningglow-2560x1600.jpg", "photos/fallenleaf-2560x1600.jpg"};
  for (int i = 0; i < n; ++i) {
    const auto bytes = test::read_bytes(test::corpus(names[i % names.size()]));
    files.push_back({"files", std::to_string(i) + ".jpg", std::string(bytes.begin(), bytes.end())});
  }
  return files;
}

/// Posts a 12-image job, calls `fault` once its first image is done, and checks that the job
/// still ends done with 12 unique outputs and the manifest.
void survives(ServeProcess& server, const std::function<void()>& fault) {
  const std::string token = server.signup("faults@example.com");
  const auto created = server.post_multipart(
      "/v1/jobs", photos(12), {{"options", R"({"width": 1600, "format": "png"})"}}, token);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string job = json::parse(created.body)["id"];
  server.read_events("/v1/jobs/" + job + "/events", token, "event: progress", 60);
  fault();
  const json body = test::wait_finished(server, job, token, 180);
  EXPECT_EQ(body["status"], "done") << body.dump();
  EXPECT_EQ(body["done"], 12);
  EXPECT_EQ(body["failed"], 0);
  const auto zip = server.get("/v1/jobs/" + job + "/archive", token);
  ASSERT_EQ(zip.status, 200);
  EXPECT_EQ(test::zip_entries(zip.body).size(),
            13u);  // twelve outputs, once each, and the manifest
}

TEST(Faults, RedisKilledAndStartedAgainMidJob) {
  PrivateServer redis(IMAGESPRINT_REDIS_SERVER_SCRIPT, "faults-redis");
  ServeProcess server({"--queue", "redis://127.0.0.1:" + redis.value("port"), "--workers", "1",
                       "--queue-lease", "5"});
  // SIGKILL, then the same port and AOF file: the queue's state comes back from the log.
  survives(server, [&] { redis.run("restart"); });
  EXPECT_EQ(server.get("/readyz").status, 200);
}

TEST(Faults, MariaDbRestartedMidJob) {
  PrivateServer mariadb(IMAGESPRINT_MARIADB_SERVER_SCRIPT, "faults-mariadb");
  ServeProcess server({"--database", test::mariadb_database(mariadb.state(), "faults"), "--workers",
                       "1", "--queue-lease", "5"});
  survives(server, [&] { mariadb.run("restart"); });
  EXPECT_EQ(server.get("/readyz").status, 200);
}

TEST(Faults, MariaDbDownLongerThanTheDeliveriesLast) {
  // 8 s without a database, two deliveries per task, 2 s between them: a worker that went on
  // leasing through the outage would use up the deliveries of every image it reached, and they
  // would end failed ("gave up after 2 attempts"). It pauses instead until the database
  // answers, at the cost of one delivery of the task in hand.
  PrivateServer mariadb(IMAGESPRINT_MARIADB_SERVER_SCRIPT, "faults-mariadb-down");
  ServeProcess server({"--database", test::mariadb_database(mariadb.state(), "faults_down"),
                       "--workers", "1", "--queue-lease", "5", "--max-deliveries", "2"});
  survives(server, [&] { mariadb.run("restart", "8"); });
  EXPECT_EQ(server.get("/readyz").status, 200);
}

// While the database is down, a request is answered 503 with Retry-After: by a handler, and by
// the sign-in check before it, which dropped the connection without a word (only an HttpError
// was turned into an answer there). Once the database is back, the same requests are served.
TEST(Faults, RequestsWhileTheDatabaseIsDownAreAnswered503) {
  PrivateServer mariadb(IMAGESPRINT_MARIADB_SERVER_SCRIPT, "faults-mariadb-503");
  ServeProcess server({"--database", test::mariadb_database(mariadb.state(), "faults_503")});
  const std::string token = server.signup("down@example.com");
  mariadb.run("down");
  for (const char* path : {"/v1/jobs", "/v1/me", "/v1/notifications"}) {
    const auto r = server.get(path, token);
    EXPECT_EQ(r.status, 503) << path << ": " << r.body;
    EXPECT_TRUE(r.headers.contains("retry-after")) << path;
    const auto body = json::parse(r.body, nullptr, false);
    EXPECT_TRUE(body.is_object() && body["error"]["code"] == "unavailable") << path << r.body;
  }
  const auto login = server.post_json(
      "/v1/auth/login", R"({"email": "down@example.com", "password": "correct horse battery"})");
  EXPECT_EQ(login.status, 503) << login.body;
  EXPECT_EQ(server.get("/readyz").status, 503);

  mariadb.run("up");
  // The connection pool reconnects on demand: a bounded wait for the first answer.
  long status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    status = server.get("/v1/jobs", token).status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 200);
  EXPECT_EQ(server.get("/v1/me", token).status, 200);
}

}  // namespace
}  // namespace imagesprint
