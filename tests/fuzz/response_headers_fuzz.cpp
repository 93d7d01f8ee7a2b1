// Fuzzes the request and response header helpers of file downloads (src/adapters/http/
// response.*): parse_range (Range), etag_matches (If-None-Match), etag_matches_strongly
// (If-Match) and content_disposition (a user's file name into Content-Disposition), with the
// properties the server relies on.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "adapters/http/header_params.hpp"
#include "adapters/http/response.hpp"
#include "domain/untrusted_text.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace imagesprint::http;
using imagesprint::is_valid_utf8;

void check_range(std::string_view header, std::uint64_t size) {
  const RangeRequest request = parse_range(header, size);
  switch (request.kind) {
    case RangeRequest::Kind::satisfiable:
      // What the server then reads and announces in Content-Range must lie inside the file.
      FUZZ_CHECK(size > 0);
      FUZZ_CHECK(request.range.first <= request.range.last);
      FUZZ_CHECK(request.range.last < size);
      FUZZ_CHECK(request.range.length() <= size);
      break;
    case RangeRequest::Kind::unsatisfiable:
    case RangeRequest::Kind::none:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = imagesprint::fuzz::as_text(data, size);

  for (const std::uint64_t file_size :
       {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{100}, std::uint64_t{1} << 32,
        std::numeric_limits<std::uint64_t>::max()}) {
    check_range(text, file_size);
  }

  // A tag matches itself, weak or not, in any position of a list; nothing matches no tag.
  const std::string etag = file_etag(size, std::chrono::nanoseconds(1700000000000000000));
  etag_matches(text, etag);
  etag_matches(etag, text);
  FUZZ_CHECK(etag_matches(std::string(text) + ", " + etag, etag));
  FUZZ_CHECK(etag_matches("W/" + etag + "," + std::string(text), etag));
  FUZZ_CHECK(!etag_matches(text, ""));
  // If-Match: the tag itself in any position matches, its weak form never does.
  FUZZ_CHECK(etag_matches_strongly(std::string(text) + ", " + etag, etag));
  FUZZ_CHECK(!etag_matches_strongly("W/" + etag, etag));
  FUZZ_CHECK(!etag_matches_strongly(text, ""));
  if (etag_matches_strongly(text, etag)) FUZZ_CHECK(etag_matches(text, etag));

  // A user's file name never breaks the header: no control characters, one parse, the plain
  // name free of quotes and separators, and the exact name in filename* when it differs.
  const std::string disposition = content_disposition(text);
  for (const char c : disposition) {
    const auto byte = static_cast<unsigned char>(c);
    FUZZ_CHECK(byte >= 0x20 && byte < 0x7f);
  }
  const auto parsed = parse_header_value(disposition);
  FUZZ_CHECK(parsed.has_value());
  FUZZ_CHECK(parsed->value == "attachment");
  const std::string* plain = parsed->param("filename");
  FUZZ_CHECK(plain != nullptr && !plain->empty());
  FUZZ_CHECK(plain->find_first_of("/\\\";") == std::string::npos);

  // The name as content_disposition promises to keep it: the last path component, minus
  // control characters.
  std::string_view last = text;
  if (const auto slash = last.find_last_of("/\\"); slash != std::string_view::npos) {
    last.remove_prefix(slash + 1);
  }
  std::string clean;
  for (const char c : last) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7f) clean += c;
  }
  const std::string* extended = parsed->param("filename*");
  if (clean.empty()) {
    FUZZ_CHECK(*plain == "download" && extended == nullptr);
  } else if (extended == nullptr) {
    FUZZ_CHECK(*plain == clean);
  } else if (is_valid_utf8(clean)) {
    // (A name that is not UTF-8 cannot come back intact from a UTF-8 filename*.)
    const auto decoded = decode_ext_value(*extended);
    FUZZ_CHECK(decoded.has_value() && *decoded == clean);
  }
  return 0;
}
