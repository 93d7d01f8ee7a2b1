#pragma once
// A streaming (push) parser for multipart/form-data bodies (RFC 7578 on RFC 2046): the HTTP
// layer feeds it the body in whatever chunks arrive, and it calls a handler for each part's
// start (with its name, file name and type), its data, and its end, holding back only the few
// bytes that might begin a boundary. So an upload of 50 x 20 MB files goes to the ObjectStore
// as it arrives and never sits in memory.
//
// Everything a client controls is bounded (parts, bytes per part, header bytes per part,
// preamble), and every malformed body ends in an Error that names the part, never in a crash:
//   invalid_request  malformed or truncated body  (400)
//   too_large        a limit was exceeded          (413)
// Strictness where RFC 2046 leaves room: header lines must end in CRLF; a boundary delimiter
// must be followed by "--" (the end) or optional blanks and CRLF, so data containing
// CRLF "--" boundary followed by anything else is refused (RFC 2046 forbids a boundary inside a
// part); Content-Disposition must appear exactly once, with a non-empty name.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/error.hpp"
#include "domain/expected.hpp"

namespace imagesprint::http {

struct MultipartLimits {
  // The transport's own bounds for a caller that sets none; the product's limits (files per job,
  // bytes per file) are the API's settings, which its routes pass in (job_routes, preview_routes).
  static constexpr std::size_t DEFAULT_MAX_PARTS = 64;
  // No bound beyond the request body's own (the route's body limit).
  static constexpr std::uint64_t DEFAULT_MAX_PART_BYTES = std::numeric_limits<std::uint64_t>::max();
  static constexpr std::size_t DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
  static constexpr std::size_t DEFAULT_MAX_PREAMBLE_BYTES = 4 * 1024;

  std::size_t max_parts = DEFAULT_MAX_PARTS;                // parts in one body
  std::uint64_t max_part_bytes = DEFAULT_MAX_PART_BYTES;    // data bytes of any one part
  std::size_t max_header_bytes = DEFAULT_MAX_HEADER_BYTES;  // header lines of one part, CRLFs in
  std::size_t max_preamble_bytes = DEFAULT_MAX_PREAMBLE_BYTES;  // ignored bytes before the first
                                                                // boundary
};

struct PartHeaders {
  std::size_t index = 0;  // 0-based position of the part in the body
  std::string name;       // the form field's name (Content-Disposition "name")
  // The file name as sent: "filename*" (RFC 8187, decoded to UTF-8) when present, else
  // "filename"; nullopt for a plain field. Not sanitised: it may hold slashes or "..", so never
  // use it as a path (domain/output_names makes safe names).
  std::optional<std::string> filename;
  std::string content_type = "text/plain";  // as sent; RFC 7578's default when absent
};

/// Receives a body's parts in order. Returning false stops the parser (problem() == stopped); it
/// then calls nothing more. A part whose on_part_end never came is incomplete: discard it.
class MultipartHandler {
 public:
  virtual ~MultipartHandler() = default;
  virtual bool on_part_begin(const PartHeaders& part) = 0;
  /// The next bytes of the current part; never empty. Valid only during the call.
  virtual bool on_part_data(std::string_view bytes) = 0;
  virtual bool on_part_end() = 0;
};

/// Why a body was refused, for callers and tests that need more than the Error's code.
enum class MultipartProblem {
  none,
  malformed,           // not multipart syntax: bad header line, bytes after a boundary ...
  truncated,           // the body ended before the closing boundary
  too_many_parts,      // more than max_parts parts
  part_too_large,      // a part's data exceeds max_part_bytes
  headers_too_large,   // a part's header lines exceed max_header_bytes
  preamble_too_large,  // no first boundary within max_preamble_bytes
  stopped,             // the handler returned false
};

/// The boundary of a request's Content-Type ("multipart/form-data; boundary=..." with the
/// boundary quoted or not). unsupported_format when the type is another one; invalid_request
/// (field "Content-Type") when the boundary is missing or breaks RFC 2046 (1-70 characters of
/// its set, not ending in a space).
Expected<std::string> multipart_boundary(std::string_view content_type);

class MultipartParser {
 public:
  /// `boundary` as multipart_boundary() returns it (std::invalid_argument if not valid).
  /// `handler` must outlive the parser.
  MultipartParser(std::string boundary, MultipartHandler& handler, MultipartLimits limits = {});

  /// Parses the next bytes of the body. False once the body is refused (see error()); after
  /// that every call does nothing and returns false. Bytes after the closing boundary (the
  /// epilogue) are ignored.
  bool feed(std::string_view chunk);

  /// The body has ended: true when the closing boundary was seen; otherwise refuses the body as
  /// truncated (unless already refused) and returns false.
  bool finish();

  /// Whether the closing boundary has been seen.
  bool complete() const { return state_ == State::done; }
  MultipartProblem problem() const { return problem_; }
  /// Set once the body is refused.
  const std::optional<Error>& error() const { return error_; }

 private:
  enum class State { preamble, after_delimiter, headers, body, done, failed };

  bool run();
  bool scan_for_delimiter();
  bool after_delimiter();
  bool header_line();
  bool begin_part();
  bool end_part();
  bool emit(std::size_t from, std::size_t to);
  bool refuse(MultipartProblem problem, ErrorCode code, std::string message,
              std::string field = {});
  std::string describe_part() const;

  MultipartHandler& handler_;
  MultipartLimits limits_;
  std::string delimiter_;  // CRLF "--" boundary
  std::string buffer_;     // unparsed bytes; parsing starts at pos_
  std::size_t pos_ = 0;
  State state_ = State::preamble;
  MultipartProblem problem_ = MultipartProblem::none;
  std::optional<Error> error_;

  std::size_t parts_ = 0;             // parts begun
  std::uint64_t preamble_bytes_ = 0;  // bytes skipped before the first boundary
  std::size_t header_bytes_ = 0;      // header bytes of the current part so far
  std::uint64_t part_bytes_ = 0;      // data bytes of the current part so far
  std::vector<std::pair<std::string, std::string>> headers_;  // the current part's header
                                                              // lines: lower-cased name, value
  PartHeaders part_;                                          // the current (or last) part
  bool part_open_ = false;  // a part's data ended at a delimiter not yet confirmed
};

}  // namespace imagesprint::http
