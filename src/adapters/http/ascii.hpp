#pragma once
// Case-insensitive comparison of ASCII tokens (header values such as "bytes=", "100-continue").
// Written here rather than taken from boost::beast::iequals: Boost 1.74's (Debian 12) reads one
// byte past both strings when they differ in case in their last characters ("bYtes=" against
// "bytes=": its slow loop loads the next pair before testing the count). Found by the
// response_headers fuzz target; its input is kept in that target's corpus.
#include <algorithm>
#include <string_view>

namespace imagesprint::http {

inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

}  // namespace imagesprint::http
