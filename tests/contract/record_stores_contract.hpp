#pragma once
// The record ports' contracts (JobStore, AccountStore, NotificationStore, WebhookStore,
// PresetStore, UploadStore) as
// tests, for every implementation: ownership (a user never reaches another's records), paging,
// atomic progress (also between processes), leases on webhook deliveries (claimed disjointly by
// many processes), and survival across a restart. An implementation provides all five stores on
// one fresh database and joins each suite with IMAGESPRINT_RECORD_STORE_CONTRACTS.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "ports/account_store.hpp"
#include "ports/job_store.hpp"
#include "ports/notification_store.hpp"
#include "ports/page_cursor.hpp"
#include "ports/preset_store.hpp"
#include "ports/upload_store.hpp"
#include "ports/webhook_store.hpp"

namespace imagesprint::test {

/// The record stores on one empty database of their own.
class RecordStoresUnderTest {
 public:
  virtual ~RecordStoresUnderTest() = default;
  virtual JobStore& jobs() = 0;
  virtual AccountStore& accounts() = 0;
  virtual NotificationStore& notifications() = 0;
  virtual WebhookStore& webhooks() = 0;
  virtual PresetStore& presets() = 0;
  virtual UploadStore& uploads() = 0;
  /// Drops the stores and opens new ones on the same database, as a restarted process would
  /// (migrations must not be applied twice).
  virtual void reopen() = 0;
  /// Stores on the same database through connections of their own, as another process would
  /// open them (workers racing on one job, dispatchers claiming deliveries). Valid while this
  /// object lives.
  virtual std::unique_ptr<RecordStoresUnderTest> open_another() = 0;
};

struct RecordStoresImplementation {
  std::string name;
  std::function<std::unique_ptr<RecordStoresUnderTest>()> make;
};

/// How GoogleTest (and so CTest's test names) shows an implementation: by its name, not its bytes.
inline void PrintTo(const RecordStoresImplementation& implementation, std::ostream* out) {
  *out << implementation.name;
}

class RecordStoresContract : public ::testing::TestWithParam<RecordStoresImplementation> {
 public:
  static std::string name_of(const ::testing::TestParamInfo<RecordStoresImplementation>& info) {
    return info.param.name;
  }

 protected:
  void SetUp() override { under_test_ = GetParam().make(); }
  JobStore& jobs() { return under_test_->jobs(); }
  AccountStore& accounts() { return under_test_->accounts(); }
  NotificationStore& notifications() { return under_test_->notifications(); }
  WebhookStore& webhooks() { return under_test_->webhooks(); }
  PresetStore& presets() { return under_test_->presets(); }
  UploadStore& uploads() { return under_test_->uploads(); }
  void reopen() { under_test_->reopen(); }
  std::unique_ptr<RecordStoresUnderTest> open_another() { return under_test_->open_another(); }

 private:
  std::unique_ptr<RecordStoresUnderTest> under_test_;
};

// One suite per port, so `ctest -L contract` names each.
class JobStoreContract : public RecordStoresContract {};
class AccountStoreContract : public RecordStoresContract {};
class NotificationStoreContract : public RecordStoresContract {};
class WebhookStoreContract : public RecordStoresContract {};
class PresetStoreContract : public RecordStoresContract {};
class UploadStoreContract : public RecordStoresContract {};

/// Instantiates the suites for one implementation.
#define IMAGESPRINT_RECORD_STORE_CONTRACTS(prefix, implementation)                               \
  INSTANTIATE_TEST_SUITE_P(prefix, JobStoreContract, ::testing::Values(implementation),          \
                           RecordStoresContract::name_of);                                       \
  INSTANTIATE_TEST_SUITE_P(prefix, AccountStoreContract, ::testing::Values(implementation),      \
                           RecordStoresContract::name_of);                                       \
  INSTANTIATE_TEST_SUITE_P(prefix, NotificationStoreContract, ::testing::Values(implementation), \
                           RecordStoresContract::name_of);                                       \
  INSTANTIATE_TEST_SUITE_P(prefix, WebhookStoreContract, ::testing::Values(implementation),      \
                           RecordStoresContract::name_of);                                       \
  INSTANTIATE_TEST_SUITE_P(prefix, PresetStoreContract, ::testing::Values(implementation),       \
                           RecordStoresContract::name_of);                                       \
  INSTANTIATE_TEST_SUITE_P(prefix, UploadStoreContract, ::testing::Values(implementation),       \
                           RecordStoresContract::name_of)

}  // namespace imagesprint::test
