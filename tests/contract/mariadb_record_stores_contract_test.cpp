// The record contracts for the SQL stores on MariaDB (MariaDbPool), each test on a database of
// its own on the fixture's server (tests/support/mariadb_server.sh, started once per CTest run).
#include "adapters/mariadb/mariadb_pool.hpp"
#include "adapters/sql/sql_account_store.hpp"
#include "adapters/sql/sql_job_store.hpp"
#include "adapters/sql/sql_notification_store.hpp"
#include "adapters/sql/sql_preset_store.hpp"
#include "adapters/sql/sql_upload_store.hpp"
#include "adapters/sql/sql_webhook_store.hpp"
#include "mariadb_test_database.hpp"
#include "record_stores_contract.hpp"

namespace imagesprint::test {
namespace {

class MariaDbStoresUnderTest final : public RecordStoresUnderTest {
 public:
  /// On `settings`' database, which `database` (when set) owns and drops at the end.
  MariaDbStoresUnderTest(MariaDbSettings settings, std::unique_ptr<TempMariaDbDatabase> database)
      : database_(std::move(database)), settings_(std::move(settings)) {
    reopen();
  }
  ~MariaDbStoresUnderTest() override { close(); }

  JobStore& jobs() override { return *jobs_; }
  AccountStore& accounts() override { return *accounts_; }
  NotificationStore& notifications() override { return *notifications_; }
  WebhookStore& webhooks() override { return *webhooks_; }
  PresetStore& presets() override { return *presets_; }
  UploadStore& uploads() override { return *uploads_; }

  void reopen() override {
    close();
    db_ = std::make_unique<MariaDbPool>(settings_);
    jobs_ = std::make_unique<SqlJobStore>(*db_);
    accounts_ = std::make_unique<SqlAccountStore>(*db_);
    notifications_ = std::make_unique<SqlNotificationStore>(*db_);
    webhooks_ = std::make_unique<SqlWebhookStore>(*db_);
    presets_ = std::make_unique<SqlPresetStore>(*db_);
    uploads_ = std::make_unique<SqlUploadStore>(*db_);
  }

  std::unique_ptr<RecordStoresUnderTest> open_another() override {
    return std::make_unique<MariaDbStoresUnderTest>(settings_, nullptr);
  }

 private:
  /// The stores and their connections go before the database is dropped.
  void close() {
    jobs_.reset();
    accounts_.reset();
    notifications_.reset();
    webhooks_.reset();
    presets_.reset();
    uploads_.reset();
    db_.reset();
  }

  std::unique_ptr<TempMariaDbDatabase> database_;
  MariaDbSettings settings_;
  std::unique_ptr<MariaDbPool> db_;
  std::unique_ptr<SqlJobStore> jobs_;
  std::unique_ptr<SqlAccountStore> accounts_;
  std::unique_ptr<SqlNotificationStore> notifications_;
  std::unique_ptr<SqlWebhookStore> webhooks_;
  std::unique_ptr<SqlPresetStore> presets_;
  std::unique_ptr<SqlUploadStore> uploads_;
};

std::unique_ptr<RecordStoresUnderTest> fresh_mariadb_stores() {
  auto database = std::make_unique<TempMariaDbDatabase>();
  auto settings = database->settings(4);
  return std::make_unique<MariaDbStoresUnderTest>(std::move(settings), std::move(database));
}

IMAGESPRINT_RECORD_STORE_CONTRACTS(Distributed,
                                   (RecordStoresImplementation{"MariaDb", fresh_mariadb_stores}));

}  // namespace
}  // namespace imagesprint::test
