// The record contracts for the SQL stores on SQLite (DatabasePool), on a fresh database file per
// test.
#include "adapters/sql/sql_account_store.hpp"
#include "adapters/sql/sql_job_store.hpp"
#include "adapters/sql/sql_notification_store.hpp"
#include "adapters/sql/sql_preset_store.hpp"
#include "adapters/sql/sql_upload_store.hpp"
#include "adapters/sql/sql_webhook_store.hpp"
#include "adapters/sqlite/database_pool.hpp"
#include "record_stores_contract.hpp"
#include "unit/adapters/temp_folder.hpp"

namespace imagesprint::test {
namespace {

class SqliteStoresUnderTest final : public RecordStoresUnderTest {
 public:
  /// On `file`, which `folder` (when set) owns and removes at the end.
  SqliteStoresUnderTest(std::filesystem::path file, std::unique_ptr<TempFolder> folder)
      : folder_(std::move(folder)), file_(std::move(file)) {
    reopen();
  }

  JobStore& jobs() override { return *jobs_; }
  AccountStore& accounts() override { return *accounts_; }
  NotificationStore& notifications() override { return *notifications_; }
  WebhookStore& webhooks() override { return *webhooks_; }
  PresetStore& presets() override { return *presets_; }
  UploadStore& uploads() override { return *uploads_; }

  void reopen() override {
    jobs_.reset();
    accounts_.reset();
    notifications_.reset();
    webhooks_.reset();
    presets_.reset();
    uploads_.reset();
    db_.reset();
    db_ = std::make_unique<DatabasePool>(file_.string(), 6);
    jobs_ = std::make_unique<SqlJobStore>(*db_);
    accounts_ = std::make_unique<SqlAccountStore>(*db_);
    notifications_ = std::make_unique<SqlNotificationStore>(*db_);
    webhooks_ = std::make_unique<SqlWebhookStore>(*db_);
    presets_ = std::make_unique<SqlPresetStore>(*db_);
    uploads_ = std::make_unique<SqlUploadStore>(*db_);
  }

  std::unique_ptr<RecordStoresUnderTest> open_another() override {
    return std::make_unique<SqliteStoresUnderTest>(file_, nullptr);
  }

 private:
  std::unique_ptr<TempFolder> folder_;
  std::filesystem::path file_;
  std::unique_ptr<DatabasePool> db_;
  std::unique_ptr<SqlJobStore> jobs_;
  std::unique_ptr<SqlAccountStore> accounts_;
  std::unique_ptr<SqlNotificationStore> notifications_;
  std::unique_ptr<SqlWebhookStore> webhooks_;
  std::unique_ptr<SqlPresetStore> presets_;
  std::unique_ptr<SqlUploadStore> uploads_;
};

std::unique_ptr<RecordStoresUnderTest> fresh_sqlite_stores() {
  auto folder = std::make_unique<TempFolder>("records-contract");
  auto file = *folder / "records.db";
  return std::make_unique<SqliteStoresUnderTest>(std::move(file), std::move(folder));
}

IMAGESPRINT_RECORD_STORE_CONTRACTS(Embedded,
                                   (RecordStoresImplementation{"Sqlite", fresh_sqlite_stores}));

}  // namespace
}  // namespace imagesprint::test
