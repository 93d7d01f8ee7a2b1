#include "main/service_config.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "main/component_settings.hpp"

namespace imagesprint {
namespace {

namespace fs = std::filesystem;

/// Registers the settings on `app`, bound to `config`, and parses `args`.
void parse_into(CLI::App& app, ServiceConfig& config, std::vector<std::string> args) {
  std::string file;
  add_service_options(app, config, file);
  std::reverse(args.begin(), args.end());
  app.parse(args);  // CLI11 takes the arguments reversed, without the program name
  apply_config_file(app, file);
}

ServiceConfig parse(std::vector<std::string> args) {
  CLI::App app;
  ServiceConfig config;
  parse_into(app, config, std::move(args));
  return config;
}

/// Calls `visit(name, field, group)` for every setting of every group of `config`.
template <typename Visit>
void for_each_setting(ServiceConfig& config, Visit&& visit) {
  ServiceConfig::for_each_group(config, [&visit](auto& group) {
    using Group = std::remove_cvref_t<decltype(group)>;
    for (const SettingField<Group>& field : Group::fields()) visit(field, group);
  });
}

std::vector<std::string> fields_of(const FieldErrors& errors) {
  std::vector<std::string> names;
  for (const FieldError& error : errors) names.push_back(error.field);
  return names;
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
    for (const char* name :
         {"IMAGESPRINT_WORKERS", "IMAGESPRINT_WEBHOOK_ALLOW_PRIVATE", "IMAGESPRINT_METRICS_TOKEN",
          "IMAGESPRINT_S3_SECRET_ACCESS_KEY", "IMAGESPRINT_DATABASE"}) {
      ::unsetenv(name);
    }
  }
  fs::path file_;
};

TEST_F(ServiceConfigTest, DefaultsNeedNoFile) {
  const ServiceConfig c = parse({});
  EXPECT_EQ(c.http.listen, "127.0.0.1:8080");
  EXPECT_EQ(c.storage.data, "./data");
  EXPECT_EQ(c.retention.result_ttl, 86400);
  EXPECT_TRUE(c.validate().empty());
  EXPECT_EQ(c.http.host(), "127.0.0.1");
  EXPECT_EQ(c.http.port(), 8080);
  EXPECT_EQ(c.abandoned_upload_after(), std::chrono::seconds(300 + 60));
}

TEST_F(ServiceConfigTest, FlagsBeatEnvironmentBeatsFile) {
  EXPECT_EQ(parse({"--config", file_.string()}).work.workers, 3);
  ::setenv("IMAGESPRINT_WORKERS", "5", 1);
  const ServiceConfig env = parse({"--config", file_.string()});
  EXPECT_EQ(env.work.workers, 5);
  EXPECT_EQ(env.http.listen, "127.0.0.1:9000");  // still from the file
  EXPECT_EQ(env.retention.result_ttl, 60);
  EXPECT_EQ(parse({"--config", file_.string(), "--workers", "7"}).work.workers, 7);
}

TEST_F(ServiceConfigTest, IssueNamedSettings) {
  ::setenv("IMAGESPRINT_WEBHOOK_ALLOW_PRIVATE", "true", 1);
  EXPECT_TRUE(parse({}).webhooks.webhook_allow_private);
  EXPECT_DOUBLE_EQ(parse({"--webhook-retry-base", "0.2"}).webhooks.webhook_retry_base, 0.2);
  EXPECT_EQ(parse({"--listen", "127.0.0.1:0", "--data", "/tmp/x"}).storage.data, "/tmp/x");
  EXPECT_EQ(parse({"--max-presets", "7"}).quotas.max_presets, 7);
  EXPECT_EQ(parse({}).work.worker_nice, 10);  // conversions below the IO threads by default
  EXPECT_EQ(parse({"--worker-nice", "0"}).work.worker_nice, 0);
  // Switches: alone they turn on, "=false" turns off; --help shows their default.
  ::unsetenv("IMAGESPRINT_WEBHOOK_ALLOW_PRIVATE");
  EXPECT_FALSE(parse({}).webhooks.webhook_allow_private);
  EXPECT_TRUE(parse({"--webhook-allow-private"}).webhooks.webhook_allow_private);
  EXPECT_TRUE(parse({}).api.download_redirect);
  EXPECT_FALSE(parse({"--download-redirect=false"}).api.download_redirect);
}

TEST_F(ServiceConfigTest, ValidateNamesEveryBadSettingNotOnlyTheFirst) {
  ServiceConfig c;
  c.http.listen = "localhost";
  c.uploads.max_files = 0;
  c.webhooks.webhook_timeout = 61;
  c.log.log_level = "loud";
  const FieldErrors errors = c.validate();
  EXPECT_EQ(fields_of(errors),
            (std::vector<std::string>{"listen", "max_files", "webhook_timeout", "log_level"}));
  // What was expected and what was given.
  EXPECT_EQ(errors[1].message, "expected 1 to 1000, got \"0\"");
  EXPECT_NE(errors[0].message.find("\"localhost\""), std::string::npos);
  EXPECT_EQ(describe(errors).substr(0, 17), "setting listen: e");

  for (const int nice : {-1, 20}) {
    c = ServiceConfig{};
    c.work.worker_nice = nice;
    EXPECT_EQ(fields_of(c.validate()), std::vector<std::string>{"worker_nice"}) << nice;
  }

  c = ServiceConfig{};
  c.http.listen = "127.0.0.1:99999";
  c.webhooks.webhook_retry_base = 0;
  c.retention.keep_sources = -1;
  EXPECT_EQ(fields_of(c.validate()),
            (std::vector<std::string>{"listen", "keep_sources", "webhook_retry_base"}));
}

TEST_F(ServiceConfigTest, ErrorsNeverQuoteASecret) {
  ServiceConfig c;
  c.storage.database = "postgres://user:hunter2@127.0.0.1/db";
  const FieldErrors errors = c.validate();
  ASSERT_EQ(fields_of(errors), std::vector<std::string>{"database"});
  EXPECT_EQ(errors[0].message.find("hunter2"), std::string::npos) << errors[0].message;
}

TEST_F(ServiceConfigTest, HelpShowsTheDefaultOfEachGroupAndNoSecret) {
  ::setenv("IMAGESPRINT_METRICS_TOKEN", "token-from-env", 1);
  ::setenv("IMAGESPRINT_S3_SECRET_ACCESS_KEY", "secret-from-env", 1);
  ::setenv("IMAGESPRINT_DATABASE", "mysql://u:password-from-env@127.0.0.1:3306/db", 1);
  CLI::App app;
  ServiceConfig config;
  parse_into(app, config, {});
  EXPECT_EQ(config.api.metrics_token, "token-from-env");  // read, but never shown
  const std::string help = app.help();
  for (const char* secret : {"token-from-env", "secret-from-env", "password-from-env"}) {
    EXPECT_EQ(help.find(secret), std::string::npos) << secret;
  }
  // Each option's default is its group's, which takes it from the component's constant.
  EXPECT_EQ(app.get_option("--max-files")->get_default_str(),
            std::to_string(UploadLimits::DEFAULT_MAX_FILES));
  EXPECT_EQ(app.get_option("--max-file-bytes")->get_default_str(),
            std::to_string(EngineLimits::DEFAULT_MAX_INPUT_BYTES));
  EXPECT_EQ(app.get_option("--webhook-retry-base")->get_default_str(), "5");
  std::size_t settings = 0;
  for_each_setting(config, [&](const auto& field, const auto& group) {
    using Group = std::remove_cvref_t<decltype(group)>;
    const std::string flag = "--" + [&] {
      std::string name(field.name);
      std::replace(name.begin(), name.end(), '_', '-');
      return name;
    }();
    const CLI::Option* option = app.get_option(flag);
    EXPECT_EQ(option->get_default_str(), field.secret ? "" : field.text(Group{})) << flag;
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
    EXPECT_NE(help.find(std::string(field.help).substr(0, 30)), std::string::npos) << flag;
    ++settings;
  });
  EXPECT_GE(settings, 58u);  // as many as the flat ServiceConfig had
}

TEST_F(ServiceConfigTest, EachSettingHasOneNameAndHelp) {
  ServiceConfig config;
  std::set<std::string> names;
  for_each_setting(config, [&](const auto& field, const auto&) {
    EXPECT_TRUE(names.insert(std::string(field.name)).second) << field.name;
    EXPECT_EQ(field.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_"),
              std::string_view::npos)
        << field.name;
    EXPECT_FALSE(field.help.empty()) << field.name;
  });
}

// The components' defaults are where they are declared; the service's settings take them from
// there, so a default changed in a component changes what the service runs with.
TEST_F(ServiceConfigTest, ComponentsGetTheirOwnDefaults) {
  const ServiceConfig config;
  EXPECT_EQ(engine_config(config).memory_budget, EngineConfig::DEFAULT_MEMORY_BUDGET_MIB << 20);
  const WorkerSettings worker = worker_settings(config);
  EXPECT_EQ(worker.lease, WorkerSettings{}.lease);
  EXPECT_EQ(worker.result_ttl, WorkerSettings{}.result_ttl);
  EXPECT_EQ(worker.limits.max_input_bytes, EngineLimits{}.max_input_bytes);
  EXPECT_EQ(worker.limits.max_input_pixels, EngineLimits{}.max_input_pixels);
  EXPECT_EQ(worker.limits.max_output_pixels, EngineLimits{}.max_output_pixels);

  const UploadLimits uploads = upload_limits(config);
  EXPECT_EQ(uploads.max_files, UploadLimits{}.max_files);
  EXPECT_EQ(uploads.max_file_bytes, UploadLimits{}.max_file_bytes);
  EXPECT_EQ(uploads.quotas.max_active_jobs, UserQuotas{}.max_active_jobs);
  EXPECT_EQ(uploads.quotas.max_queued_images, UserQuotas{}.max_queued_images);
  EXPECT_EQ(uploads.quotas.max_stored_bytes, UserQuotas{}.max_stored_bytes);

  const WebhookSettings webhooks = webhook_settings(config);
  EXPECT_EQ(webhooks.max_attempts, WebhookSettings{}.max_attempts);
  EXPECT_EQ(webhooks.retry_base_seconds, WebhookSettings{}.retry_base_seconds);
  EXPECT_EQ(webhooks.disable_after, WebhookSettings{}.disable_after);
  EXPECT_EQ(webhooks.max_per_user, WebhookSettings{}.max_per_user);

  EXPECT_EQ(accounts_settings(config).session_ttl, AccountsConfig{}.session_ttl);
  EXPECT_EQ(accounts_settings(config).login_attempts_per_minute,
            AccountsConfig{}.login_attempts_per_minute);
  EXPECT_EQ(preset_settings(config).max_per_user, PresetSettings{}.max_per_user);
  EXPECT_EQ(janitor_settings(config).interval, JanitorSettings{}.interval);
  EXPECT_EQ(webhook_dispatcher_settings(config).threads, WebhookDispatcherSettings{}.threads);

  const api::ApiLimits limits = api_limits(config);
  const api::ApiLimits own;
  EXPECT_EQ(limits.previews_per_user, own.previews_per_user);
  EXPECT_EQ(limits.previews_at_once, own.previews_at_once);
  EXPECT_EQ(limits.event_streams_per_user, own.event_streams_per_user);
  EXPECT_EQ(limits.signups_per_hour, own.signups_per_hour);
  EXPECT_EQ(limits.password_hashers, own.password_hashers);
  EXPECT_EQ(limits.password_queue, own.password_queue);

  const http::ServerConfig server = server_settings(config);
  const http::ServerConfig library;
  EXPECT_EQ(server.host, library.host);
  EXPECT_EQ(server.port, library.port);
  EXPECT_EQ(server.max_connections, library.max_connections);
  EXPECT_EQ(server.header_timeout, library.header_timeout);
  EXPECT_EQ(server.request_timeout, library.request_timeout);
  EXPECT_EQ(server.min_body_rate, library.min_body_rate);
  EXPECT_EQ(server.max_connections_per_address, library.max_connections_per_address);
  EXPECT_EQ(server.sse_heartbeat, library.sse_heartbeat);
  EXPECT_EQ(server.sse_max_lifetime, library.sse_max_lifetime);
  // The one the service picks on purpose (HttpSettings::DEFAULT_IDLE_TIMEOUT says why).
  EXPECT_EQ(server.idle_timeout, std::chrono::seconds(HttpSettings::DEFAULT_IDLE_TIMEOUT));
}

// The runners' own settings name every bad field too, and their make_ functions refuse them.
TEST_F(ServiceConfigTest, RunnersNameEveryBadSetting) {
  const JanitorSettings janitor{std::chrono::seconds(0), std::chrono::seconds(-1)};
  EXPECT_EQ(fields_of(janitor.validate()),
            (std::vector<std::string>{"janitor_interval", "abandoned_upload_after"}));
  EXPECT_TRUE(JanitorSettings{}.validate().empty());
  EXPECT_EQ(fields_of(WebhookDispatcherSettings{0}.validate()),
            std::vector<std::string>{"webhook_dispatchers"});
  try {
    refuse(janitor.validate());
    FAIL() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "setting janitor_interval: expected at least 1 second\n"
              "setting abandoned_upload_after: expected at least 1 second");
  }
}

// README's table of settings names each setting, and only settings that exist.
TEST_F(ServiceConfigTest, ReadmeTableListsEverySetting) {
  std::ifstream readme(IMAGESPRINT_README);
  ASSERT_TRUE(readme) << IMAGESPRINT_README;
  std::set<std::string> documented;
  std::string line;
  bool in_section = false, in_table = false;
  while (std::getline(readme, line)) {
    if (line.starts_with("### ")) in_section = line == "### Configuration";
    if (!in_section) continue;
    if (line.starts_with("| ")) {
      in_table = true;
      const std::string first = line.substr(2, line.find(" |", 1) - 2);
      for (std::size_t at = first.find('`'); at != std::string::npos;) {
        const std::size_t end = first.find('`', at + 1);
        documented.insert(first.substr(at + 1, end - at - 1));
        at = first.find('`', end + 1);
      }
    } else if (in_table) {
      break;  // the first table of the section ends
    }
  }
  ServiceConfig config;
  std::set<std::string> settings;
  for_each_setting(
      config, [&](const auto& field, const auto&) { settings.insert(std::string(field.name)); });
  for (const std::string& name : settings) EXPECT_TRUE(documented.contains(name)) << name;
  for (const std::string& name : documented) EXPECT_TRUE(settings.contains(name)) << name;
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
