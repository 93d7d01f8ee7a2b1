#include "adapters/sqlite/sqlite_preset_store.hpp"

#include "adapters/sqlite/records_schema.hpp"
#include "adapters/sqlite/row_values.hpp"

namespace imagesprint {

using soci::into;
using soci::use;

namespace {

const std::string SELECT_PRESETS =
    "SELECT id, user_id, name, options, created_at, updated_at FROM presets ";

Preset preset_from(const soci::row& r) {
  Preset p;
  p.id = row_int(r, 0);
  p.user_id = row_int(r, 1);
  p.name = row_text(r, 2);
  p.options = row_text(r, 3);
  p.created_at = row_int(r, 4);
  p.updated_at = row_int(r, 5);
  return p;
}

std::optional<Preset> first(soci::rowset<soci::row>& rows) {
  for (const auto& r : rows) return preset_from(r);
  return std::nullopt;
}

/// Whether the user has a preset named `name` other than `except_id`.
bool name_taken(soci::session& s, std::int64_t user_id, const std::string& name,
                std::int64_t except_id) {
  long long count = 0;
  s << "SELECT COUNT(*) FROM presets WHERE user_id = :u AND name = :n AND id <> :i", use(user_id),
      use(name), use(except_id), into(count);
  return count > 0;
}

}  // namespace

SqlitePresetStore::SqlitePresetStore(DatabasePool& db) : db_(db) {
  db_.migrate("records", records_migrations());
}

PresetWriteResult SqlitePresetStore::create(const Preset& preset, int max_per_user) {
  soci::session sql(db_.pool());
  // One write transaction (BEGIN IMMEDIATE): the count and the name are checked with the write
  // lock held, so two requests at once cannot both pass them.
  return write_transaction(sql, [&](soci::session& s) {
    long long count = 0;
    s << "SELECT COUNT(*) FROM presets WHERE user_id = :u", use(preset.user_id), into(count);
    if (count >= max_per_user) return PresetWriteResult{PresetWrite::over_limit, {}};
    if (name_taken(s, preset.user_id, preset.name, 0)) {
      return PresetWriteResult{PresetWrite::name_taken, {}};
    }
    s << "INSERT INTO presets (user_id, name, options, created_at, updated_at) VALUES (:u, :n, "
         ":o, :c, :m)",
        use(preset.user_id), use(preset.name), use(preset.options), use(preset.created_at),
        use(preset.updated_at);
    long long id = 0;
    s << "SELECT last_insert_rowid()", into(id);
    Preset stored = preset;
    stored.id = id;
    return PresetWriteResult{PresetWrite::ok, stored};
  });
}

std::vector<Preset> SqlitePresetStore::list(std::int64_t user_id) {
  soci::session sql(db_.pool());
  soci::rowset<soci::row> rows =
      (sql.prepare << SELECT_PRESETS + "WHERE user_id = :u ORDER BY name, id", use(user_id));
  std::vector<Preset> presets;
  for (const auto& r : rows) presets.push_back(preset_from(r));
  return presets;
}

std::optional<Preset> SqlitePresetStore::find(std::int64_t user_id, std::int64_t id) {
  soci::session sql(db_.pool());
  soci::rowset<soci::row> rows =
      (sql.prepare << SELECT_PRESETS + "WHERE user_id = :u AND id = :i", use(user_id), use(id));
  return first(rows);
}

std::optional<Preset> SqlitePresetStore::find_by_name(std::int64_t user_id,
                                                      const std::string& name) {
  soci::session sql(db_.pool());
  soci::rowset<soci::row> rows =
      (sql.prepare << SELECT_PRESETS + "WHERE user_id = :u AND name = :n", use(user_id), use(name));
  return first(rows);
}

PresetWriteResult SqlitePresetStore::update(const Preset& preset) {
  soci::session sql(db_.pool());
  return write_transaction(sql, [&](soci::session& s) {
    if (name_taken(s, preset.user_id, preset.name, preset.id)) {
      return PresetWriteResult{PresetWrite::name_taken, {}};
    }
    soci::statement st =
        (s.prepare << "UPDATE presets SET name = :n, options = :o, updated_at = :m WHERE id = :i "
                      "AND user_id = :u",
         use(preset.name), use(preset.options), use(preset.updated_at), use(preset.id),
         use(preset.user_id));
    st.execute(true);
    if (st.get_affected_rows() == 0) return PresetWriteResult{PresetWrite::not_found, {}};
    soci::rowset<soci::row> rows = (s.prepare << SELECT_PRESETS + "WHERE id = :i", use(preset.id));
    return PresetWriteResult{PresetWrite::ok, first(rows).value_or(preset)};
  });
}

bool SqlitePresetStore::remove(std::int64_t user_id, std::int64_t id) {
  soci::session sql(db_.pool());
  soci::statement st =
      (sql.prepare << "DELETE FROM presets WHERE id = :i AND user_id = :u", use(id), use(user_id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

}  // namespace imagesprint
