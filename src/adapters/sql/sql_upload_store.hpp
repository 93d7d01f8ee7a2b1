#pragma once
// UploadStore on SQL through SOCI (SQLite or MariaDB, see SqlDatabase).
#include "adapters/sql/sql_database.hpp"
#include "ports/upload_store.hpp"

namespace imagesprint {

class SqlUploadStore final : public UploadStore {
 public:
  /// Applies the records migrations. `db` must outlive the store.
  explicit SqlUploadStore(SqlDatabase& db);

  void create(const Upload& upload) override;
  std::optional<Upload> find(std::int64_t user_id, const std::string& id) override;
  UploadClaim claim(std::int64_t user_id, const std::string& id, std::int64_t offset,
                    const std::string& token, UnixMillis now, UnixMillis until) override;
  bool release(const std::string& id, const std::string& token, std::int64_t offset,
               const std::string& job_id) override;
  bool remove(std::int64_t user_id, const std::string& id) override;
  void remove(const std::string& id) override;
  std::vector<Upload> expired(UnixMillis now, int limit) override;
  UploadUsage usage(std::int64_t user_id, UnixMillis now) override;

 private:
  SqlDatabase& db_;
};

}  // namespace imagesprint
