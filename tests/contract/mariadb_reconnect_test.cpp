// MariaDB-specific behaviour of MariaDbPool that the record contracts do not state:
//   - a server restart between two store calls: the next call finds its connection gone,
//     connects again and succeeds, and nothing written before the restart is lost;
//   - calls while the server is down fail with StorageError (no hang, no crash), and work again
//     once it is back;
//   - a failed statement surfaces as StorageError and leaves the session usable;
//   - a migration that failed halfway (MariaDB cannot roll its DDL back) runs again cleanly.
// The restart tests run a server of their own (tests/support/mariadb_server.sh start, restart,
// stop), so that restarting it cuts no connection of the tests running beside them on the
// fixture's server.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "adapters/mariadb/mariadb_pool.hpp"
#include "adapters/sql/sql_job_store.hpp"
#include "adapters/sql/sql_notification_store.hpp"
#include "mariadb_test_database.hpp"
#include "ports/storage_error.hpp"
#include "unit/adapters/temp_folder.hpp"

namespace imagesprint::test {
namespace {

/// Whether process `pid` runs (a zombie that nobody reaped yet does not).
bool running(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(stat, text)) return false;
  const auto paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] != 'Z';
}

/// A mariadbd of this test's own, in a temporary folder, stopped and removed at the end.
class PrivateMariaDbServer {
 public:
  PrivateMariaDbServer() : folder_("mariadb-private"), state_file_(folder_ / "state") {
    run("start");
  }
  ~PrivateMariaDbServer() {
    try {
      run("stop");
    } catch (const std::exception&) {
    }
  }
  PrivateMariaDbServer(const PrivateMariaDbServer&) = delete;
  PrivateMariaDbServer& operator=(const PrivateMariaDbServer&) = delete;

  /// Stops the server cleanly and starts it again on the same data and port.
  void restart() { run("restart"); }

  /// Stops the server (SIGTERM, a clean shutdown) and waits until it has exited; restart()
  /// starts it again.
  void stop() {
    const int pid = state_.pid;
    ASSERT_EQ(::kill(pid, SIGTERM), 0);
    // Bounded: mariadb_server.sh itself gives a clean shutdown 30 s.
    for (int i = 0; i < 600 && running(pid); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_FALSE(running(pid)) << "mariadbd " << pid << " did not stop within 30 s";
  }

  const MariaDbServerState& state() const { return state_; }

 private:
  void run(const std::string& command) {
    const std::string line = std::string("bash '") + IMAGESPRINT_MARIADB_SERVER_SCRIPT + "' " +
                             command + " '" + state_file_.string() + "'";
    if (std::system(line.c_str()) != 0) throw std::runtime_error("failed: " + line);
    if (command != "stop") state_ = MariaDbServerState::read(state_file_);
  }

  TempFolder folder_;
  std::filesystem::path state_file_;
  MariaDbServerState state_;
};

Job make_job(int total) {
  Job job;
  job.id = "j";
  job.user_id = 1;
  job.name = "restart";
  job.total = total;
  job.created_at = 100;
  return job;
}

std::vector<ImageRecord> make_images(int n) {
  std::vector<ImageRecord> images;
  for (int i = 0; i < n; ++i) {
    ImageRecord image;
    image.job_id = "j";
    image.index = i;
    image.source_name = "사진-" + std::to_string(i) + ".jpg";
    images.push_back(image);
  }
  return images;
}

ImageRecord done(int index) {
  ImageRecord outcome;
  outcome.job_id = "j";
  outcome.index = index;
  outcome.status = ImageStatus::done;
  outcome.bytes_out = 10;
  return outcome;
}

TEST(MariaDbRestart, TheNextCallAfterARestartConnectsAgainAndNothingIsLost) {
  PrivateMariaDbServer server;
  TempMariaDbDatabase database(server.state());
  MariaDbPool pool(database.settings(2));
  SqlJobStore jobs(pool);
  SqlNotificationStore notifications(pool);
  ASSERT_TRUE(jobs.create_job(make_job(3), make_images(3)).second);
  ASSERT_TRUE(jobs.record_image(done(0), 200).counted);
  notifications.add(1, "JOB_DONE", "j", "before the restart", 300, "");

  server.restart();  // every pooled connection is gone now

  const ImageProgress progress = jobs.record_image(done(1), 400);
  EXPECT_TRUE(progress.counted);
  EXPECT_EQ(progress.done, 2) << "the image counted before the restart is still counted";
  EXPECT_FALSE(progress.last);
  EXPECT_EQ(notifications.unread_count(1), 1) << "the other pooled session connects again too";
  EXPECT_TRUE(jobs.record_image(done(2), 500).last);
  const auto job = jobs.find_job(1, "j");
  ASSERT_TRUE(job);
  EXPECT_EQ(job->done, 3);
  EXPECT_EQ(job->bytes_out, 30);
  for (const ImageRecord& image : jobs.images("j")) EXPECT_EQ(image.status, ImageStatus::done);
  EXPECT_EQ(jobs.images("j").at(2).source_name, "사진-2.jpg");
  EXPECT_TRUE(pool.ping());
}

TEST(MariaDbRestart, CallsWhileTheServerIsDownFailWithStorageErrorThenWorkAgain) {
  PrivateMariaDbServer server;
  TempMariaDbDatabase database(server.state());
  MariaDbPool pool(database.settings(1));
  SqlJobStore jobs(pool);
  ASSERT_TRUE(jobs.create_job(make_job(1), make_images(1)).second);

  server.stop();
  EXPECT_THROW(jobs.find_job("j"), StorageError);
  EXPECT_THROW(jobs.record_image(done(0), 200), StorageError);
  EXPECT_FALSE(pool.ping());

  server.restart();  // starts it again
  EXPECT_TRUE(jobs.find_job("j").has_value());
  EXPECT_TRUE(jobs.record_image(done(0), 300).last) << "the failed write left nothing behind";
}

TEST(MariaDbPool, AFailedStatementIsAStorageErrorAndTheSessionStaysUsable) {
  TempMariaDbDatabase database;
  MariaDbPool pool(database.settings(1));
  SqlJobStore jobs(pool);
  try {
    pool.read("test: bad select",
              [](soci::session& sql) { sql << "SELECT no_such_column FROM jobs"; });
    FAIL() << "no StorageError";
  } catch (const StorageError& e) {
    EXPECT_NE(std::string(e.what()).find("test: bad select"), std::string::npos) << e.what();
  }
  EXPECT_THROW(pool.write("test: bad insert",
                          [](soci::session& sql) {
                            sql << "INSERT INTO jobs (id) VALUES ('x')";  // NOT NULL columns
                          }),
               StorageError);
  EXPECT_TRUE(jobs.create_job(make_job(1), make_images(1)).second);
  EXPECT_TRUE(pool.ping());
}

TEST(MariaDbPool, AMigrationThatFailedHalfwayRunsAgain) {
  TempMariaDbDatabase database;
  MariaDbPool pool(database.settings(1));
  // MariaDB commits the CREATE TABLE before the INSERT fails: the table stays, the version is
  // not recorded.
  EXPECT_THROW(pool.migrate("widgets", {"CREATE TABLE a (id INTEGER PRIMARY KEY){TABLE}; "
                                        "CREATE INDEX a_id ON a(id); "
                                        "INSERT INTO missing_table VALUES (1)"}),
               StorageError);
  // Fixed (same version, never shipped): the CREATEs run again harmlessly.
  pool.migrate("widgets", {"CREATE TABLE a (id INTEGER PRIMARY KEY){TABLE}; "
                           "CREATE INDEX a_id ON a(id); "
                           "ALTER TABLE a ADD COLUMN label VARCHAR(10) NOT NULL DEFAULT 'x'"});
  pool.migrate("widgets", {"CREATE TABLE a (id INTEGER PRIMARY KEY){TABLE}; "
                           "CREATE INDEX a_id ON a(id); "
                           "ALTER TABLE a ADD COLUMN label VARCHAR(10) NOT NULL DEFAULT 'x'"});
  const int versions = pool.read("test", [](soci::session& sql) {
    int n = 0;
    sql << "SELECT COUNT(*) FROM schema_migrations WHERE component = 'widgets'", soci::into(n);
    return n;
  });
  EXPECT_EQ(versions, 1);
  const std::string engine = pool.read("test", [&](soci::session& sql) {
    std::string value;
    sql << "SELECT CONCAT(engine, ' ', table_collation) FROM information_schema.tables WHERE "
           "table_schema = DATABASE() AND table_name = 'a'",
        soci::into(value);
    return value;
  });
  EXPECT_EQ(engine, "InnoDB utf8mb4_bin");
}

}  // namespace
}  // namespace imagesprint::test
