#pragma once
// A fresh SQLite database in its own temporary folder, removed afterwards.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "adapters/sqlite/database_pool.hpp"

namespace imagesprint::test {

class TempDatabase {
 public:
  TempDatabase() {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("imagesprint-db-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<DatabasePool>((dir_ / "test.db").string());
  }
  ~TempDatabase() {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  DatabasePool& db() { return *db_; }
  std::filesystem::path file() const { return dir_ / "test.db"; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<DatabasePool> db_;
};

}  // namespace imagesprint::test
