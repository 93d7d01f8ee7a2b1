#pragma once
// What the SQLite and the MariaDB runs of the record contracts share: the six SQL stores over one
// connection pool, opened again on a new pool by reopen() as a restarted process would.
#include <memory>

#include "adapters/sql/sql_account_store.hpp"
#include "adapters/sql/sql_database.hpp"
#include "adapters/sql/sql_job_store.hpp"
#include "adapters/sql/sql_notification_store.hpp"
#include "adapters/sql/sql_preset_store.hpp"
#include "adapters/sql/sql_upload_store.hpp"
#include "adapters/sql/sql_webhook_store.hpp"
#include "record_stores_contract.hpp"

namespace imagesprint::test {

class SqlStoresUnderTest : public RecordStoresUnderTest {
 public:
  JobStore& jobs() override { return stores_->jobs; }
  AccountStore& accounts() override { return stores_->accounts; }
  NotificationStore& notifications() override { return stores_->notifications; }
  WebhookStore& webhooks() override { return stores_->webhooks; }
  PresetStore& presets() override { return stores_->presets; }
  UploadStore& uploads() override { return stores_->uploads; }

  void reopen() override {
    close();
    db_ = open_pool();
    stores_ = std::make_unique<Stores>(*db_);
  }

 protected:
  /// A new pool on the database under test.
  virtual std::unique_ptr<SqlDatabase> open_pool() = 0;

  /// The stores go, then their pool and its connections.
  void close() {
    stores_.reset();
    db_.reset();
  }

 private:
  struct Stores {
    explicit Stores(SqlDatabase& db)
        : jobs(db), accounts(db), notifications(db), webhooks(db), presets(db), uploads(db) {}
    SqlJobStore jobs;
    SqlAccountStore accounts;
    SqlNotificationStore notifications;
    SqlWebhookStore webhooks;
    SqlPresetStore presets;
    SqlUploadStore uploads;
  };

  std::unique_ptr<SqlDatabase> db_;
  std::unique_ptr<Stores> stores_;
};

}  // namespace imagesprint::test
