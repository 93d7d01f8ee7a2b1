// The record contracts for the SQL stores on SQLite (DatabasePool), on a fresh database file per
// test.
#include "adapters/sqlite/database_pool.hpp"
#include "sql_stores_under_test.hpp"
#include "unit/adapters/temp_folder.hpp"

namespace imagesprint::test {
namespace {

class SqliteStoresUnderTest final : public SqlStoresUnderTest {
 public:
  /// On `file`, which `folder` (when set) owns and removes at the end.
  SqliteStoresUnderTest(std::filesystem::path file, std::unique_ptr<TempFolder> folder)
      : folder_(std::move(folder)), file_(std::move(file)) {
    reopen();
  }
  ~SqliteStoresUnderTest() override { close(); }

  std::unique_ptr<RecordStoresUnderTest> open_another() override {
    return std::make_unique<SqliteStoresUnderTest>(file_, nullptr);
  }

 private:
  std::unique_ptr<SqlDatabase> open_pool() override {
    return std::make_unique<DatabasePool>(file_.string(), 6);
  }

  std::unique_ptr<TempFolder> folder_;
  std::filesystem::path file_;
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
