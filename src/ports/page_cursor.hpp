#pragma once
// The cursor of a list read newest first: opaque to clients (a page's next_cursor, given back as
// it came), each store's own format.
#include <cstdint>
#include <stdexcept>
#include <string_view>

namespace imagesprint {

/// Thrown by a store's list given a cursor that none of its pages gave. The API answers 400
/// naming `cursor`: starting from the newest instead would hand a client with a broken cursor the
/// first page again and again.
class InvalidCursor : public std::invalid_argument {
 public:
  InvalidCursor() : std::invalid_argument("cursor: expected the next_cursor of a previous page") {}
};

/// The cursor of a list ordered by a positive id: the id of the previous page's last item, below
/// which the next page starts; 0 for the first page (an empty cursor). Throws InvalidCursor for
/// anything but a positive decimal number.
std::int64_t id_cursor(std::string_view cursor);

}  // namespace imagesprint
