#pragma once
// The language of an answer's messages, from the request's Accept-Language (RFC 9110 12.5.4):
// a list of language ranges, each with an optional weight `;q=` from 0 to 1 (at most three
// decimals; q=0 means "not this one"). The highest-weighted range the catalogue has wins, the
// earlier one on a tie; a range matches by its primary subtag ("ko-KR" is Korean) and "*" is
// English. Anything else, a malformed header or none: English.
#include <string_view>

#include "domain/messages.hpp"

namespace imagesprint::http {

Language pick_language(std::string_view accept_language);

}  // namespace imagesprint::http
