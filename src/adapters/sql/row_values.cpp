#include "adapters/sql/row_values.hpp"

#include <cmath>

namespace imagesprint {

std::int64_t row_int(const soci::row& row, std::size_t i) {
  if (row.get_indicator(i) == soci::i_null) return 0;
  switch (row.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return row.get<int>(i);
    case soci::dt_long_long:
      return row.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return static_cast<std::int64_t>(row.get<unsigned long long>(i));
    case soci::dt_double:
      return static_cast<std::int64_t>(std::llround(row.get<double>(i)));
    case soci::dt_string:
      return std::stoll(row.get<std::string>(i));
    default:
      throw std::bad_cast();
  }
}

std::optional<std::int64_t> row_optional_int(const soci::row& row, std::size_t i) {
  if (row.get_indicator(i) == soci::i_null) return std::nullopt;
  return row_int(row, i);
}

std::string row_text(const soci::row& row, std::size_t i) {
  if (row.get_indicator(i) == soci::i_null) return "";
  switch (row.get_properties(i).get_data_type()) {
    case soci::dt_string:
      return row.get<std::string>(i);
    default:
      return std::to_string(row_int(row, i));
  }
}

}  // namespace imagesprint
