#pragma once
// Reading soci::row columns whatever type the backend reports: SQLite derives a column's type from
// its declaration (INTEGER -> int, BIGINT -> long long) and from nothing at all for expressions,
// MariaDB reports INT as int, BIGINT and COUNT(*) as long long, SUM() as a decimal (double); so
// asking for the exact C++ type throws std::bad_cast.
#include <cstdint>
#include <optional>
#include <string>

#include <soci/soci.h>

namespace imagesprint {

std::int64_t row_int(const soci::row& row, std::size_t column);
std::optional<std::int64_t> row_optional_int(const soci::row& row, std::size_t column);
std::string row_text(const soci::row& row, std::size_t column);

}  // namespace imagesprint
