#pragma once
// PresetStore on SQLite through SOCI (migration 6 of the records).
#include "adapters/sqlite/database_pool.hpp"
#include "ports/preset_store.hpp"

namespace imagesprint {

class SqlitePresetStore final : public PresetStore {
 public:
  explicit SqlitePresetStore(DatabasePool& db);

  PresetWriteResult create(const Preset& preset, int max_per_user) override;
  std::vector<Preset> list(std::int64_t user_id) override;
  std::optional<Preset> find(std::int64_t user_id, std::int64_t id) override;
  std::optional<Preset> find_by_name(std::int64_t user_id, const std::string& name) override;
  PresetWriteResult update(const Preset& preset) override;
  bool remove(std::int64_t user_id, std::int64_t id) override;

 private:
  DatabasePool& db_;
};

}  // namespace imagesprint
