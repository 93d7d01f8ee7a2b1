#pragma once
// Settings of `imagesprint serve`, `api` and `worker`: one group per component (each in
// main/settings/, with its defaults taken from the component it configures, a table of its fields
// and validate()), composed here. Each setting has one name used everywhere: flag
// --name-with-dashes, environment IMAGESPRINT_NAME_IN_CAPS, key name_with_underscores in the TOML
// file given by --config (or IMAGESPRINT_CONFIG). Flags win over the environment, which wins over
// the file; with none of them the defaults work (data in ./data, listening on 127.0.0.1:8080).
#include <chrono>
#include <string>

#include "domain/field_error.hpp"
#include "main/settings/account_settings.hpp"
#include "main/settings/api_settings.hpp"
#include "main/settings/http_settings.hpp"
#include "main/settings/log_settings.hpp"
#include "main/settings/quota_settings.hpp"
#include "main/settings/retention_settings.hpp"
#include "main/settings/storage_settings.hpp"
#include "main/settings/upload_settings.hpp"
#include "main/settings/webhook_delivery_settings.hpp"
#include "main/settings/work_settings.hpp"

#include <CLI/CLI.hpp>

namespace imagesprint {

struct ServiceConfig {
  HttpSettings http;
  StorageSettings storage;
  ApiSettings api;
  WorkSettings work;
  UploadSettings uploads;
  QuotaSettings quotas;
  RetentionSettings retention;
  AccountSettings accounts;
  WebhookDeliverySettings webhooks;
  LogSettings log;

  /// Calls `visit(group)` for each group above, in this order (the order of --help).
  template <typename Self, typename Visit>
  static void for_each_group(Self& self, Visit&& visit) {
    visit(self.http);
    visit(self.storage);
    visit(self.api);
    visit(self.work);
    visit(self.uploads);
    visit(self.quotas);
    visit(self.retention);
    visit(self.accounts);
    visit(self.webhooks);
    visit(self.log);
  }

  /// Every bad setting of every group, each naming the setting; empty when all are good.
  FieldErrors validate() const;
  /// retention.abandoned_upload_after with its default (from http.request_timeout) resolved.
  std::chrono::seconds abandoned_upload_after() const {
    return retention.abandoned_upload_after_or(std::chrono::seconds(http.request_timeout));
  }
};

/// Registers every setting on `command` (with help text, its default, environment names and
/// --config). `config_file` receives the --config path.
void add_service_options(CLI::App& command, ServiceConfig& config, std::string& config_file);

/// After `command` was parsed: applies the TOML file's values to every setting that neither a
/// flag nor the environment set (CLI11's own config support would let the file beat the
/// environment). Throws std::invalid_argument naming an unknown key or a bad value.
void apply_config_file(CLI::App& command, const std::string& config_file);

}  // namespace imagesprint
