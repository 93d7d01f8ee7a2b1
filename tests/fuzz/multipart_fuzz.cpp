// Fuzzes multipart_boundary and the streaming MultipartParser (src/adapters/http/
// multipart_parser.*): the first line of the input is the Content-Type value, the rest the body.
// The body is parsed twice, in one piece and in small chunks; the parser promises the same outcome
// whatever the chunking (it holds back only what might begin a boundary), so the two runs must
// agree, and each must keep the handler contract (begin/data/end in order, no empty data, nothing
// after a handler said stop).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/multipart_parser.hpp"
#include "fuzz_support.hpp"

namespace {

using imagesprint::http::MultipartHandler;
using imagesprint::http::MultipartLimits;
using imagesprint::http::MultipartParser;
using imagesprint::http::MultipartProblem;
using imagesprint::http::PartHeaders;

// Small limits, so that the fuzzer reaches every limit with inputs of a few hundred bytes.
MultipartLimits small_limits() {
  MultipartLimits limits;
  limits.max_parts = 4;
  limits.max_part_bytes = 1024;
  limits.max_header_bytes = 256;
  limits.max_preamble_bytes = 64;
  return limits;
}

struct Part {
  PartHeaders headers;
  std::string data;
  bool ended = false;
  bool operator==(const Part& other) const {
    return headers.index == other.headers.index && headers.name == other.headers.name &&
           headers.filename == other.headers.filename &&
           headers.content_type == other.headers.content_type && data == other.data &&
           ended == other.ended;
  }
};

/// Records what the parser reports and checks the handler contract on the way.
class Recorder final : public MultipartHandler {
 public:
  Recorder(MultipartLimits limits, std::size_t stop_at_part)
      : limits_(limits), stop_at_part_(stop_at_part) {}

  bool on_part_begin(const PartHeaders& part) override {
    FUZZ_CHECK(!stopped_);
    FUZZ_CHECK(parts_.empty() || parts_.back().ended);
    FUZZ_CHECK(part.index == parts_.size());
    FUZZ_CHECK(parts_.size() < limits_.max_parts);
    FUZZ_CHECK(!part.name.empty());
    parts_.push_back(Part{part, {}, false});
    stopped_ = part.index == stop_at_part_;
    return !stopped_;
  }
  bool on_part_data(std::string_view bytes) override {
    FUZZ_CHECK(!stopped_);
    FUZZ_CHECK(!bytes.empty());
    FUZZ_CHECK(!parts_.empty() && !parts_.back().ended);
    parts_.back().data.append(bytes);
    FUZZ_CHECK(parts_.back().data.size() <= limits_.max_part_bytes);
    return true;
  }
  bool on_part_end() override {
    FUZZ_CHECK(!stopped_);
    FUZZ_CHECK(!parts_.empty() && !parts_.back().ended);
    parts_.back().ended = true;
    return true;
  }

  const std::vector<Part>& parts() const { return parts_; }
  bool stopped() const { return stopped_; }

 private:
  MultipartLimits limits_;
  std::size_t stop_at_part_;
  std::vector<Part> parts_;
  bool stopped_ = false;
};

struct Outcome {
  bool complete = false;
  MultipartProblem problem = MultipartProblem::none;
  std::vector<Part> parts;
};

/// Parses `body` fed `chunk` bytes at a time (the whole body at once when chunk is 0).
Outcome parse(const std::string& boundary, std::string_view body, std::size_t chunk,
              std::size_t stop_at_part) {
  const MultipartLimits limits = small_limits();
  Recorder recorder(limits, stop_at_part);
  MultipartParser parser(boundary, recorder, limits);
  bool ok = true;
  if (chunk == 0) {
    ok = parser.feed(body);
  } else {
    for (std::size_t at = 0; at < body.size() && ok; at += chunk)
      ok = parser.feed(body.substr(at, chunk));
  }
  // Refused once means refused for good; a finished body ignores what follows (the epilogue).
  FUZZ_CHECK(ok == (parser.problem() == MultipartProblem::none));
  FUZZ_CHECK(ok == !parser.error().has_value());
  if (!ok || parser.complete()) FUZZ_CHECK(parser.feed("epilogue") == ok);
  const bool finished = parser.finish();
  FUZZ_CHECK(finished == parser.complete());
  FUZZ_CHECK(finished == (parser.problem() == MultipartProblem::none));
  if (recorder.stopped()) FUZZ_CHECK(parser.problem() == MultipartProblem::stopped);
  if (finished) {
    for (const Part& part : recorder.parts()) FUZZ_CHECK(part.ended);
  } else {
    FUZZ_CHECK(parser.error().has_value() && !parser.error()->message.empty());
  }
  return Outcome{finished, parser.problem(), recorder.parts()};
}

/// FNV-1a: chunk size and stop point follow from the whole input, so every mutation varies them.
std::uint64_t hash(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = imagesprint::fuzz::as_text(data, size);
  auto [content_type, body] = imagesprint::fuzz::split_first_line(input);
  if (content_type.ends_with('\r')) content_type.remove_suffix(1);  // corpus files with CRLF

  const auto boundary = imagesprint::http::multipart_boundary(content_type);
  if (!boundary) {
    FUZZ_CHECK(!boundary.error().message.empty());
    return 0;
  }
  FUZZ_CHECK(!boundary->empty() && boundary->size() <= 70);

  const std::uint64_t h = hash(input);
  const std::size_t chunk = 1 + h % 23;
  const std::size_t stop_at_part = (h >> 8) % 8;  // 4 and up: never (max_parts is 4)
  const Outcome whole = parse(boundary.value(), body, 0, stop_at_part);
  const Outcome chunked = parse(boundary.value(), body, chunk, stop_at_part);
  FUZZ_CHECK(whole.complete == chunked.complete);
  FUZZ_CHECK(whole.problem == chunked.problem);
  // On a refusal the data handed out before it depends on the chunking; on success it may not.
  if (whole.complete) FUZZ_CHECK(whole.parts == chunked.parts);
  return 0;
}
