// The record contracts for the SQLite stores, on a fresh database file per test.
#include "adapters/sqlite/sqlite_account_store.hpp"
#include "adapters/sqlite/sqlite_job_store.hpp"
#include "adapters/sqlite/sqlite_notification_store.hpp"
#include "adapters/sqlite/sqlite_preset_store.hpp"
#include "adapters/sqlite/sqlite_webhook_store.hpp"
#include "record_stores_contract.hpp"
#include "unit/adapters/temp_folder.hpp"

namespace imagesprint::test {
namespace {

class SqliteStoresUnderTest final : public RecordStoresUnderTest {
 public:
  SqliteStoresUnderTest() : folder_("records-contract") { reopen(); }

  JobStore& jobs() override { return *jobs_; }
  AccountStore& accounts() override { return *accounts_; }
  NotificationStore& notifications() override { return *notifications_; }
  WebhookStore& webhooks() override { return *webhooks_; }
  PresetStore& presets() override { return *presets_; }

  void reopen() override {
    jobs_.reset();
    accounts_.reset();
    notifications_.reset();
    webhooks_.reset();
    presets_.reset();
    db_.reset();
    db_ = std::make_unique<DatabasePool>((folder_ / "records.db").string(), 6);
    jobs_ = std::make_unique<SqliteJobStore>(*db_);
    accounts_ = std::make_unique<SqliteAccountStore>(*db_);
    notifications_ = std::make_unique<SqliteNotificationStore>(*db_);
    webhooks_ = std::make_unique<SqliteWebhookStore>(*db_);
    presets_ = std::make_unique<SqlitePresetStore>(*db_);
  }

 private:
  TempFolder folder_;
  std::unique_ptr<DatabasePool> db_;
  std::unique_ptr<SqliteJobStore> jobs_;
  std::unique_ptr<SqliteAccountStore> accounts_;
  std::unique_ptr<SqliteNotificationStore> notifications_;
  std::unique_ptr<SqliteWebhookStore> webhooks_;
  std::unique_ptr<SqlitePresetStore> presets_;
};

IMAGESPRINT_RECORD_STORE_CONTRACTS(Embedded, (RecordStoresImplementation{
                                                 "Sqlite", [] {
                                                   return std::make_unique<SqliteStoresUnderTest>();
                                                 }}));

}  // namespace
}  // namespace imagesprint::test
