#pragma once
// The tables of the records (users, sessions, API keys, jobs, images, notifications, webhooks and
// their deliveries, presets), as ordered migrations written once for every dialect: types are
// spelled the portable way (VARCHAR, BIGINT, INTEGER), and the few words that differ are
// placeholders each dialect spells (SqlDialect: {ID}, {TEXT}, {BLOB}, {TABLE}). On SQLite the
// list expands to exactly the migrations shipped before MariaDB was added.
#include <string>
#include <vector>

namespace imagesprint {

/// Migration N is element N-1; never edit one that has shipped, append a new one. Statements are
/// separated by ';' and hold no ';' of their own.
const std::vector<std::string>& records_migrations();

}  // namespace imagesprint
