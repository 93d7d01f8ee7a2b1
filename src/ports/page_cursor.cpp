#include "ports/page_cursor.hpp"

#include <cstdint>

#include "domain/whole_number.hpp"

namespace imagesprint {

std::int64_t id_cursor(std::string_view cursor) {
  if (cursor.empty()) return 0;
  if (const auto id = whole_number<std::int64_t>(cursor, 1, INT64_MAX)) return *id;
  throw InvalidCursor();
}

}  // namespace imagesprint
