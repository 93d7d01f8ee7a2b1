#pragma once
// PresetStore on SQL through SOCI (SQLite or MariaDB, see SqlDatabase; migration 6 of the
// records).
#include "adapters/sql/sql_database.hpp"
#include "ports/preset_store.hpp"

namespace imagesprint {

class SqlPresetStore final : public PresetStore {
 public:
  /// Applies the records migrations. `db` must outlive the store.
  explicit SqlPresetStore(SqlDatabase& db);

  PresetWriteResult create(const Preset& preset, int max_per_user) override;
  std::vector<Preset> list(std::int64_t user_id) override;
  std::optional<Preset> find(std::int64_t user_id, std::int64_t id) override;
  std::optional<Preset> find_by_name(std::int64_t user_id, const std::string& name) override;
  PresetWriteResult update(const Preset& preset) override;
  bool remove(std::int64_t user_id, std::int64_t id) override;

 private:
  SqlDatabase& db_;
};

}  // namespace imagesprint
