// The record contracts for the SQL stores on MariaDB (MariaDbPool), each test on a database of
// its own on the fixture's server (tests/support/mariadb_server.sh, started once per CTest run).
#include "adapters/mariadb/mariadb_pool.hpp"
#include "mariadb_test_database.hpp"
#include "sql_stores_under_test.hpp"

namespace imagesprint::test {
namespace {

class MariaDbStoresUnderTest final : public SqlStoresUnderTest {
 public:
  /// On `settings`' database, which `database` (when set) owns and drops at the end.
  MariaDbStoresUnderTest(MariaDbSettings settings, std::unique_ptr<TempMariaDbDatabase> database)
      : database_(std::move(database)), settings_(std::move(settings)) {
    reopen();
  }
  ~MariaDbStoresUnderTest() override { close(); }

  std::unique_ptr<RecordStoresUnderTest> open_another() override {
    return std::make_unique<MariaDbStoresUnderTest>(settings_, nullptr);
  }

 private:
  std::unique_ptr<SqlDatabase> open_pool() override {
    return std::make_unique<MariaDbPool>(settings_);
  }

  std::unique_ptr<TempMariaDbDatabase> database_;
  MariaDbSettings settings_;
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
