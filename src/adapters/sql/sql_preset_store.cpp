#include "adapters/sql/sql_preset_store.hpp"

#include "adapters/sql/records_migrations.hpp"
#include "adapters/sql/row_values.hpp"

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

/// Whether the user has a preset named `name` other than `except_id`. `lock`: the dialect's
/// lock_rows(), so that a concurrent write of the same name waits (MariaDB).
bool name_taken(soci::session& s, const std::string& lock, std::int64_t user_id,
                const std::string& name, std::int64_t except_id) {
  long long count = 0;
  s << "SELECT COUNT(*) FROM presets WHERE user_id = :u AND name = :n AND id <> :i" + lock,
      use(user_id), use(name), use(except_id), into(count);
  return count > 0;
}

}  // namespace

SqlPresetStore::SqlPresetStore(SqlDatabase& db) : db_(db) {
  db_.migrate("records", records_migrations());
}

PresetWriteResult SqlPresetStore::create(const Preset& preset, int max_per_user) {
  const std::string lock(db_.dialect().lock_rows());
  // One write transaction: the count and the name are checked with the user's presets locked
  // (SQLite: the write lock; MariaDB: the rows and the gaps around them, so an insert by another
  // transaction waits or deadlocks and runs again), so two requests at once cannot both pass.
  return db_.write("preset store: create", [&](soci::session& s) {
    long long count = 0;
    s << "SELECT COUNT(*) FROM presets WHERE user_id = :u" + lock, use(preset.user_id), into(count);
    if (count >= max_per_user) return PresetWriteResult{PresetWrite::over_limit, {}};
    if (name_taken(s, lock, preset.user_id, preset.name, 0)) {
      return PresetWriteResult{PresetWrite::name_taken, {}};
    }
    s << "INSERT INTO presets (user_id, name, options, created_at, updated_at) VALUES (:u, :n, "
         ":o, :c, :m)",
        use(preset.user_id), use(preset.name), use(preset.options), use(preset.created_at),
        use(preset.updated_at);
    Preset stored = preset;
    stored.id = db_.dialect().last_insert_id(s);
    return PresetWriteResult{PresetWrite::ok, stored};
  });
}

std::vector<Preset> SqlPresetStore::list(std::int64_t user_id) {
  return db_.read("preset store: list", [&](soci::session& sql) {
    soci::rowset<soci::row> rows =
        (sql.prepare << SELECT_PRESETS + "WHERE user_id = :u ORDER BY name, id", use(user_id));
    std::vector<Preset> presets;
    for (const auto& r : rows) presets.push_back(preset_from(r));
    return presets;
  });
}

std::optional<Preset> SqlPresetStore::find(std::int64_t user_id, std::int64_t id) {
  return db_.read("preset store: find", [&](soci::session& sql) {
    soci::rowset<soci::row> rows =
        (sql.prepare << SELECT_PRESETS + "WHERE user_id = :u AND id = :i", use(user_id), use(id));
    return first(rows);
  });
}

std::optional<Preset> SqlPresetStore::find_by_name(std::int64_t user_id, const std::string& name) {
  return db_.read("preset store: find_by_name", [&](soci::session& sql) {
    soci::rowset<soci::row> rows =
        (sql.prepare << SELECT_PRESETS + "WHERE user_id = :u AND name = :n", use(user_id),
         use(name));
    return first(rows);
  });
}

PresetWriteResult SqlPresetStore::update(const Preset& preset) {
  const std::string lock(db_.dialect().lock_rows());
  return db_.write("preset store: update", [&](soci::session& s) {
    if (name_taken(s, lock, preset.user_id, preset.name, preset.id)) {
      return PresetWriteResult{PresetWrite::name_taken, {}};
    }
    // Affected rows are the rows matched, changed or not, on both dialects (SOCI connects to
    // MariaDB with CLIENT_FOUND_ROWS): saving a preset unchanged is no "not found".
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

bool SqlPresetStore::remove(std::int64_t user_id, std::int64_t id) {
  return db_.write("preset store: remove", [&](soci::session& sql) {
    soci::statement st = (sql.prepare << "DELETE FROM presets WHERE id = :i AND user_id = :u",
                          use(id), use(user_id));
    st.execute(true);
    return st.get_affected_rows() > 0;
  });
}

}  // namespace imagesprint
