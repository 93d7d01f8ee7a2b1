#include "adapters/http/multipart_parser.hpp"

#include <algorithm>
#include <stdexcept>

#include "adapters/http/header_params.hpp"

namespace imagesprint::http {
namespace {

constexpr std::string_view CRLF = "\r\n";
constexpr std::size_t MAX_BOUNDARY = 70;      // RFC 2046
constexpr std::size_t MAX_PADDING = 256;      // blanks allowed after a boundary delimiter
constexpr std::size_t MAX_ECHOED_NAME = 100;  // longest user text quoted in a message

bool is_bchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

bool valid_boundary(std::string_view b) {
  return !b.empty() && b.size() <= MAX_BOUNDARY && b.back() != ' ' &&
         std::all_of(b.begin(), b.end(), is_bchar);
}

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string quote_text(std::string_view text) {
  if (text.size() <= MAX_ECHOED_NAME) return "'" + std::string(text) + "'";
  return "'" + std::string(text.substr(0, MAX_ECHOED_NAME)) + "...'";
}

}  // namespace

Expected<std::string> multipart_boundary(std::string_view content_type) {
  const auto parsed = parse_header_value(content_type);
  if (!parsed || parsed->value != "multipart/form-data") {
    return Error{ErrorCode::unsupported_format,
                 "the request body must be multipart/form-data, got " +
                     quote_text(content_type.empty() ? "nothing" : content_type),
                 "Content-Type"};
  }
  const std::string* boundary = parsed->param("boundary");
  if (!boundary) {
    return Error{ErrorCode::invalid_request, "the multipart/form-data type has no boundary",
                 "Content-Type"};
  }
  if (!valid_boundary(*boundary)) {
    return Error{ErrorCode::invalid_request,
                 "the multipart boundary must be 1 to 70 letters, digits or '()+_,-./:=? and not "
                 "end with a space",
                 "Content-Type"};
  }
  return *boundary;
}

MultipartParser::MultipartParser(std::string boundary, MultipartHandler& handler,
                                 MultipartLimits limits)
    : handler_(handler), limits_(limits), delimiter_("\r\n--" + boundary) {
  if (!valid_boundary(boundary)) throw std::invalid_argument("invalid multipart boundary");
  // The first delimiter may open the body without the CRLF that precedes every other one;
  // starting from a CRLF lets one search find them all (the CRLF counts as preamble).
  buffer_ = CRLF;
}

bool MultipartParser::feed(std::string_view chunk) {
  if (state_ == State::failed) return false;
  if (state_ == State::done) return true;  // the epilogue: ignored
  buffer_.append(chunk);
  const bool ok = run();
  // Keep only what is still unparsed: fewer bytes than a delimiter, or one partial header line.
  buffer_.erase(0, pos_);
  pos_ = 0;
  return ok;
}

bool MultipartParser::finish() {
  switch (state_) {
    case State::done:
      return true;
    case State::failed:
      return false;
    case State::preamble:
      return refuse(MultipartProblem::truncated, ErrorCode::invalid_request,
                    "the multipart body has no boundary line");
    case State::after_delimiter:
      return refuse(MultipartProblem::truncated, ErrorCode::invalid_request,
                    "the multipart body ended right after a boundary, without its closing \"--\"",
                    part_open_ ? part_.name : std::string());
    case State::headers:
      return refuse(
          MultipartProblem::truncated, ErrorCode::invalid_request,
          "the multipart body ended inside the headers of part " + std::to_string(parts_ + 1));
    case State::body:
      return refuse(
          MultipartProblem::truncated, ErrorCode::invalid_request,
          "the multipart body ended inside " + describe_part() + ", before its closing boundary",
          part_.name);
  }
  return false;
}

bool MultipartParser::run() {
  for (;;) {
    bool progressed = false;
    switch (state_) {
      case State::preamble:
      case State::body:
        progressed = scan_for_delimiter();
        break;
      case State::after_delimiter:
        progressed = after_delimiter();
        break;
      case State::headers:
        progressed = header_line();
        break;
      case State::done:
        pos_ = buffer_.size();
        return true;
      case State::failed:
        return false;
    }
    if (state_ == State::failed) return false;
    if (!progressed) return true;  // needs more bytes
  }
}

bool MultipartParser::scan_for_delimiter() {
  const std::string_view window(buffer_);
  const std::size_t found = window.find(delimiter_, pos_);
  if (found == std::string_view::npos) {
    // Any delimiter starting before the last (size - 1) bytes would have been found, so the
    // bytes before them are data for certain; the rest may be the start of a delimiter.
    const std::size_t keep = delimiter_.size() - 1;
    const std::size_t safe = window.size() > keep ? std::max(pos_, window.size() - keep) : pos_;
    if (!emit(pos_, safe)) return false;
    pos_ = safe;
    return false;
  }
  if (!emit(pos_, found)) return false;
  pos_ = found + delimiter_.size();
  // The part ends only once the bytes after the delimiter prove it is one (after_delimiter).
  part_open_ = state_ == State::body;
  state_ = State::after_delimiter;
  return true;
}

bool MultipartParser::end_part() {
  if (!part_open_) return true;
  part_open_ = false;
  if (!handler_.on_part_end()) {
    return refuse(MultipartProblem::stopped, ErrorCode::invalid_request,
                  "the upload was stopped at the end of " + describe_part(), part_.name);
  }
  return true;
}

bool MultipartParser::emit(std::size_t from, std::size_t to) {
  if (to <= from) return true;
  const std::size_t n = to - from;
  if (state_ == State::preamble) {
    preamble_bytes_ += n;
    if (preamble_bytes_ > limits_.max_preamble_bytes + CRLF.size()) {
      return refuse(MultipartProblem::preamble_too_large, ErrorCode::invalid_request,
                    "no multipart boundary within the first " +
                        std::to_string(limits_.max_preamble_bytes) + " bytes of the body");
    }
    return true;
  }
  part_bytes_ += n;
  if (part_bytes_ > limits_.max_part_bytes) {
    refuse(MultipartProblem::part_too_large, ErrorCode::too_large,
           describe_part() + " is larger than " + std::to_string(limits_.max_part_bytes) + " bytes",
           part_.name);
    error_->message_key = "error.too_large.part";
    error_->params = {{"part", describe_part()}, {"max", limits_.max_part_bytes}};
    return false;
  }
  if (!handler_.on_part_data(std::string_view(buffer_).substr(from, n))) {
    return refuse(MultipartProblem::stopped, ErrorCode::invalid_request,
                  "the upload was stopped in " + describe_part(), part_.name);
  }
  return true;
}

bool MultipartParser::after_delimiter() {
  const std::string_view window = std::string_view(buffer_).substr(pos_);
  if (window.size() < 2) return false;
  if (window.substr(0, 2) == "--") {
    if (!end_part()) return false;
    state_ = State::done;
    return true;
  }
  std::size_t blanks = 0;
  while (blanks < window.size() && (window[blanks] == ' ' || window[blanks] == '\t')) ++blanks;
  if (blanks > MAX_PADDING) {
    return refuse(MultipartProblem::malformed, ErrorCode::invalid_request,
                  "too many blanks after a multipart boundary");
  }
  if (blanks + 2 > window.size()) return false;
  if (window.substr(blanks, 2) != CRLF) {
    return refuse(MultipartProblem::malformed, ErrorCode::invalid_request,
                  "a multipart boundary is followed by other bytes than \"--\" or a line end "
                  "(is the boundary inside a part's data?)");
  }
  if (!end_part()) return false;
  pos_ += blanks + 2;
  state_ = State::headers;
  header_bytes_ = 0;
  headers_.clear();
  return true;
}

bool MultipartParser::header_line() {
  const std::string_view window = std::string_view(buffer_).substr(pos_);
  const std::size_t end = window.find(CRLF);
  const std::size_t line_bytes = end == std::string_view::npos ? window.size() : end + 2;
  if (header_bytes_ + line_bytes > limits_.max_header_bytes) {
    return refuse(MultipartProblem::headers_too_large, ErrorCode::too_large,
                  "the headers of part " + std::to_string(parts_ + 1) + " are longer than " +
                      std::to_string(limits_.max_header_bytes) + " bytes");
  }
  if (end == std::string_view::npos) return false;
  const std::string_view line = window.substr(0, end);
  header_bytes_ += line_bytes;
  pos_ += line_bytes;
  if (line.empty()) return begin_part();

  const std::string part = "part " + std::to_string(parts_ + 1);
  if (line.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return refuse(MultipartProblem::malformed, ErrorCode::invalid_request,
                  "a header line of " + part + " holds a bare CR, LF or NUL");
  }
  if (line.front() == ' ' || line.front() == '\t') {  // obsolete folding: continues the last one
    if (headers_.empty()) {
      return refuse(MultipartProblem::malformed, ErrorCode::invalid_request,
                    "the headers of " + part + " start with a continuation line");
    }
    headers_.back().second += " ";
    headers_.back().second += trim(line);
    return true;
  }
  const std::size_t colon = line.find(':');
  const std::string_view name = line.substr(0, colon);
  if (colon == std::string_view::npos || name.empty() ||
      !std::all_of(name.begin(), name.end(), is_tchar)) {
    return refuse(MultipartProblem::malformed, ErrorCode::invalid_request,
                  "a header line of " + part + " is not \"Name: value\"");
  }
  headers_.emplace_back(lowered(name), std::string(trim(line.substr(colon + 1))));
  return true;
}

bool MultipartParser::begin_part() {
  const std::string part = "part " + std::to_string(parts_ + 1);
  const std::string* disposition = nullptr;
  const std::string* content_type = nullptr;
  for (const auto& [name, value] : headers_) {
    const std::string** slot = name == "content-disposition" ? &disposition
                               : name == "content-type"      ? &content_type
                                                             : nullptr;
    if (!slot) continue;  // Content-Transfer-Encoding and the like: RFC 7578 says ignore them
    if (*slot) {
      return refuse(MultipartProblem::malformed, ErrorCode::invalid_request,
                    part + " has two " + name + " headers");
    }
    *slot = &value;
  }
  if (!disposition) {
    return refuse(MultipartProblem::malformed, ErrorCode::invalid_request,
                  part + " has no Content-Disposition header");
  }
  const auto parsed = parse_header_value(*disposition);
  if (!parsed || parsed->value != "form-data") {
    return refuse(MultipartProblem::malformed, ErrorCode::invalid_request,
                  part + " has a Content-Disposition that is not a valid form-data one");
  }
  const std::string* name = parsed->param("name");
  if (!name || name->empty()) {
    return refuse(MultipartProblem::malformed, ErrorCode::invalid_request,
                  part + " has no field name in its Content-Disposition");
  }

  part_ = PartHeaders{};
  part_.index = parts_;
  part_.name = *name;
  if (const std::string* extended = parsed->param("filename*")) {
    auto decoded = decode_ext_value(*extended);
    if (!decoded) {
      return refuse(MultipartProblem::malformed, ErrorCode::invalid_request,
                    part + " (" + quote_text(*name) +
                        ") has a filename* that is not UTF-8 or ISO-8859-1 percent-encoding",
                    *name);
    }
    part_.filename = std::move(*decoded);
  } else if (const std::string* plain = parsed->param("filename")) {
    part_.filename = *plain;
  }
  if (content_type) part_.content_type = *content_type;

  ++parts_;
  if (parts_ > limits_.max_parts) {
    return refuse(MultipartProblem::too_many_parts, ErrorCode::too_large,
                  describe_part() + " is one part too many: at most " +
                      std::to_string(limits_.max_parts) + " are accepted",
                  part_.name);
  }
  part_bytes_ = 0;
  state_ = State::body;
  if (!handler_.on_part_begin(part_)) {
    return refuse(MultipartProblem::stopped, ErrorCode::invalid_request,
                  "the upload was stopped at the start of " + describe_part(), part_.name);
  }
  return true;
}

std::string MultipartParser::describe_part() const {
  std::string text = "part " + std::to_string(part_.index + 1) + " (" + quote_text(part_.name);
  if (part_.filename) text += ", file " + quote_text(*part_.filename);
  return text + ")";
}

bool MultipartParser::refuse(MultipartProblem problem, ErrorCode code, std::string message,
                             std::string field) {
  if (state_ == State::failed) return false;
  state_ = State::failed;
  problem_ = problem;
  error_ = Error{code, std::move(message), std::move(field)};
  return false;
}

}  // namespace imagesprint::http
