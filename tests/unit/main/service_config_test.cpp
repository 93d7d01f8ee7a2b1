#include "main/service_config.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace imagesprint {
namespace {

namespace fs = std::filesystem;

ServiceConfig parse(std::vector<std::string> args) {
  CLI::App app;
  ServiceConfig config;
  std::string file;
  add_service_options(app, config, file);
  std::reverse(args.begin(), args.end());
  app.parse(args);  // CLI11 takes the arguments reversed, without the program name
  apply_config_file(app, file);
  return config;
}

class ServiceConfigTest : public testing::Test {
 protected:
  void SetUp() override {
    file_ =
        fs::temp_directory_path() / ("imagesprint-config-" + std::to_string(::getpid()) + ".toml");
    std::ofstream(file_) << "listen = \"127.0.0.1:9000\"\nworkers = 3\nresult_ttl = 60\n";
  }
  void TearDown() override {
    fs::remove(file_);
    ::unsetenv("IMAGESPRINT_WORKERS");
    ::unsetenv("IMAGESPRINT_WEBHOOK_ALLOW_PRIVATE");
  }
  fs::path file_;
};

TEST_F(ServiceConfigTest, DefaultsNeedNoFile) {
  const ServiceConfig c = parse({});
  EXPECT_EQ(c.listen, "127.0.0.1:8080");
  EXPECT_EQ(c.data, "./data");
  EXPECT_EQ(c.result_ttl, 86400);
  EXPECT_NO_THROW(c.validate());
  EXPECT_EQ(c.host(), "127.0.0.1");
  EXPECT_EQ(c.port(), 8080);
}

TEST_F(ServiceConfigTest, FlagsBeatEnvironmentBeatsFile) {
  EXPECT_EQ(parse({"--config", file_.string()}).workers, 3);
  ::setenv("IMAGESPRINT_WORKERS", "5", 1);
  const ServiceConfig env = parse({"--config", file_.string()});
  EXPECT_EQ(env.workers, 5);
  EXPECT_EQ(env.listen, "127.0.0.1:9000");  // still from the file
  EXPECT_EQ(env.result_ttl, 60);
  EXPECT_EQ(parse({"--config", file_.string(), "--workers", "7"}).workers, 7);
}

TEST_F(ServiceConfigTest, IssueNamedSettings) {
  ::setenv("IMAGESPRINT_WEBHOOK_ALLOW_PRIVATE", "true", 1);
  EXPECT_TRUE(parse({}).webhook_allow_private);
  EXPECT_DOUBLE_EQ(parse({"--webhook-retry-base", "0.2"}).webhook_retry_base, 0.2);
  EXPECT_EQ(parse({"--listen", "127.0.0.1:0", "--data", "/tmp/x"}).data, "/tmp/x");
  EXPECT_EQ(parse({}).worker_nice, 10);  // conversions below the IO threads by default
  EXPECT_EQ(parse({"--worker-nice", "0"}).worker_nice, 0);
}

TEST_F(ServiceConfigTest, ValidateNamesTheSetting) {
  ServiceConfig c;
  c.listen = "localhost";
  try {
    c.validate();
    FAIL() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("listen"), std::string::npos);
  }
  c = ServiceConfig{};
  c.max_files = 0;
  EXPECT_THROW(c.validate(), std::invalid_argument);
  c = ServiceConfig{};
  c.log_level = "loud";
  EXPECT_THROW(c.validate(), std::invalid_argument);
  c = ServiceConfig{};
  c.listen = "127.0.0.1:99999";
  EXPECT_THROW(c.validate(), std::invalid_argument);
  for (const int nice : {-1, 20}) {
    c = ServiceConfig{};
    c.worker_nice = nice;
    try {
      c.validate();
      FAIL() << "accepted worker_nice " << nice;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("worker_nice"), std::string::npos) << e.what();
    }
  }
}

TEST_F(ServiceConfigTest, BadFilesNameTheProblem) {
  const fs::path bad = file_.string() + ".bad";
  std::ofstream(bad) << "wokers = 3\n";
  EXPECT_THROW(parse({"--config", bad.string()}), std::invalid_argument);
  std::ofstream(bad) << "workers = \"many\"\n";
  EXPECT_THROW(parse({"--config", bad.string()}), std::invalid_argument);
  std::ofstream(bad) << "workers = [\n";
  EXPECT_THROW(parse({"--config", bad.string()}), std::invalid_argument);
  fs::remove(bad);
}

TEST_F(ServiceConfigTest, BadValuesAreRefusedAtParse) {
  EXPECT_THROW(parse({"--workers", "many"}), CLI::ParseError);
  EXPECT_THROW(parse({"--no-such-setting", "1"}), CLI::ParseError);
}

}  // namespace
}  // namespace imagesprint
