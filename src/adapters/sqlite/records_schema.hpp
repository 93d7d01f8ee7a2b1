#pragma once
// The tables of the records (users, sessions, API keys, jobs, images, notifications), as ordered
// migrations in SQLite's dialect. Types are spelled the portable way (VARCHAR, BIGINT) so the
// MySQL/MariaDB list differs only where the dialects do (AUTO_INCREMENT, TEXT keys).
#include <string>
#include <vector>

namespace imagesprint {

/// Migration N is element N-1; never edit one that has shipped, append a new one.
const std::vector<std::string>& records_migrations();

}  // namespace imagesprint
