#include "adapters/http/multipart_parser.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace imagesprint::http {
namespace {

using namespace std::string_literals;

const std::string BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
const std::string DASH = "--" + BOUNDARY;

/// What a parse produced, comparable across chunkings.
struct Outcome {
  struct Part {
    PartHeaders headers;
    std::string data;
    bool ended = false;
  };
  std::vector<Part> parts;
  bool complete = false;
  MultipartProblem problem = MultipartProblem::none;
  std::string message;
  std::string field;
  ErrorCode code = ErrorCode::internal;

  /// Everything, except the data of a part that never ended (how much of it was handed out
  /// before a refusal depends on where the chunks were cut).
  std::string describe() const {
    std::string out;
    for (const Part& p : parts) {
      out += std::to_string(p.headers.index) + "|" + p.headers.name + "|" +
             (p.headers.filename ? "file:" + *p.headers.filename : "field") + "|" +
             p.headers.content_type + "|" + (p.ended ? "ended:" + p.data : "open") + "\n";
    }
    out += complete ? "complete" : "incomplete";
    out += "|problem " + std::to_string(static_cast<int>(problem)) + "|" + message + "|" + field;
    return out;
  }
};

class Recorder : public MultipartHandler {
 public:
  explicit Recorder(Outcome& out) : out_(out) {}
  bool on_part_begin(const PartHeaders& part) override {
    EXPECT_TRUE(out_.parts.empty() || out_.parts.back().ended) << "begin inside a part";
    out_.parts.push_back({part, "", false});
    return stop_at_begin_ < 0 || static_cast<int>(part.index) != stop_at_begin_;
  }
  bool on_part_data(std::string_view bytes) override {
    EXPECT_FALSE(bytes.empty());
    EXPECT_FALSE(out_.parts.empty() || out_.parts.back().ended) << "data outside a part";
    if (!out_.parts.empty()) out_.parts.back().data += bytes;
    return true;
  }
  bool on_part_end() override {
    EXPECT_FALSE(out_.parts.empty() || out_.parts.back().ended) << "end outside a part";
    if (!out_.parts.empty()) out_.parts.back().ended = true;
    return true;
  }
  int stop_at_begin_ = -1;

 private:
  Outcome& out_;
};

/// Parses `body` cut at `cuts` (ascending offsets), then finishes.
Outcome parse(const std::string& body, const std::vector<std::size_t>& cuts = {},
              MultipartLimits limits = {}, const std::string& boundary = BOUNDARY,
              int stop_at_begin = -1) {
  Outcome out;
  Recorder recorder(out);
  recorder.stop_at_begin_ = stop_at_begin;
  MultipartParser parser(boundary, recorder, limits);
  std::size_t from = 0;
  bool ok = true;
  for (std::size_t cut : cuts) {
    ok = parser.feed(std::string_view(body).substr(from, cut - from)) && ok;
    from = cut;
  }
  ok = parser.feed(std::string_view(body).substr(from)) && ok;
  const bool finished = parser.finish();
  EXPECT_EQ(finished, parser.complete());
  if (!ok) {
    EXPECT_FALSE(finished) << "a refused body never finishes well";
  }
  out.complete = parser.complete();
  out.problem = parser.problem();
  if (parser.error()) {
    EXPECT_NE(parser.problem(), MultipartProblem::none);
    out.message = parser.error()->message;
    out.field = parser.error()->field;
    out.code = parser.error()->code;
  } else {
    EXPECT_EQ(parser.problem(), MultipartProblem::none);
  }
  return out;
}

Outcome parse_bytewise(const std::string& body, MultipartLimits limits = {}) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < body.size(); ++i) cuts.push_back(i);
  return parse(body, cuts, limits);
}

/// The same outcome whatever the chunking: whole, byte by byte, and cut in two at every offset.
void expect_split_invariant(const std::string& body, MultipartLimits limits = {}) {
  const std::string whole = parse(body, {}, limits).describe();
  EXPECT_EQ(parse_bytewise(body, limits).describe(), whole) << "byte by byte";
  for (std::size_t cut = 0; cut <= body.size(); ++cut) {
    ASSERT_EQ(parse(body, {cut}, limits).describe(), whole) << "cut at " << cut;
  }
}

std::string field(const std::string& name, const std::string& value) {
  return DASH + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value +
         "\r\n";
}

std::string file(const std::string& name, const std::string& filename, const std::string& type,
                 const std::string& data) {
  return DASH + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" +
         filename + "\"\r\nContent-Type: " + type + "\r\n\r\n" + data + "\r\n";
}

const std::string END = DASH + "--\r\n";

/// Data that looks like the end of a part without being one: nothing in it is CRLF "--"
/// boundary, which RFC 2046 forbids inside a part.
std::string tricky_data() {
  std::string data = "\r\n--" + BOUNDARY.substr(0, BOUNDARY.size() - 1) + "!";  // one short
  data += "x" + DASH + "\r\n";    // the boundary line without the CRLF before it
  data += "\r\n-\r\n--\r\r\n\n";  // partial delimiters
  data += "\r\n--" + BOUNDARY.substr(0, 10);
  data += std::string("\0\xff\r", 3);
  data += "\r";  // a CR just before the real delimiter's CR
  return data;
}

std::string all_bytes() {
  std::string data;
  for (int i = 0; i < 256; ++i) data += static_cast<char>(i);
  return data;
}

TEST(MultipartParser, ParsesFieldsAndFilesAsABrowserSendsThem) {
  const std::string body =
      field("options", R"({"format":"webp","quality":80})") +
      file("files", "photo.jpg", "image/jpeg", all_bytes()) + DASH +
      "\r\ncontent-disposition: form-data; name=\"files\"; filename=\"x.png\"; "
      "filename*=UTF-8''%EC%82%AC%EC%A7%84.png\r\nCONTENT-TYPE: image/png\r\n\r\n" +
      tricky_data() + "\r\n" + field("name", "") + END;
  const Outcome out = parse(body);
  ASSERT_TRUE(out.complete) << out.message;
  ASSERT_EQ(out.parts.size(), 4u);

  EXPECT_EQ(out.parts[0].headers.name, "options");
  EXPECT_EQ(out.parts[0].headers.filename, std::nullopt);
  EXPECT_EQ(out.parts[0].headers.content_type, "text/plain");
  EXPECT_EQ(out.parts[0].data, R"({"format":"webp","quality":80})");

  EXPECT_EQ(out.parts[1].headers.index, 1u);
  EXPECT_EQ(out.parts[1].headers.filename, "photo.jpg");
  EXPECT_EQ(out.parts[1].headers.content_type, "image/jpeg");
  EXPECT_EQ(out.parts[1].data, all_bytes());

  EXPECT_EQ(out.parts[2].headers.filename, "\xec\x82\xac\xec\xa7\x84.png") << "filename* wins";
  EXPECT_EQ(out.parts[2].headers.content_type, "image/png");
  EXPECT_EQ(out.parts[2].data, tricky_data());

  EXPECT_EQ(out.parts[3].data, "");
  for (const auto& p : out.parts) EXPECT_TRUE(p.ended);
}

TEST(MultipartParser, EveryChunkingGivesTheSameParts) {
  const std::string body = field("options", "{}") +
                           file("files", "a.bin", "application/octet-stream", tricky_data()) +
                           file("files", "b.bin", "image/jpeg", all_bytes()) + END;
  ASSERT_TRUE(parse(body).complete);
  expect_split_invariant(body);
}

TEST(MultipartParser, EveryPairOfCutsGivesTheSameParts) {
  const std::string data = "\r\n--" + BOUNDARY.substr(0, 30) + "\r\n-x" + DASH;
  const std::string body = field("a", "x\r\n--") + file("f", "n", "t", data) + END;
  const std::string whole = parse(body).describe();
  ASSERT_EQ(parse(body).parts.size(), 2u);
  EXPECT_EQ(parse(body).parts[1].data, data);
  for (std::size_t i = 0; i <= body.size(); ++i) {
    for (std::size_t j = i; j <= body.size(); ++j) {
      ASSERT_EQ(parse(body, {i, j}).describe(), whole) << i << "," << j;
    }
  }
}

TEST(MultipartParser, LargePartInRandomChunks) {
  std::mt19937 random(7);
  std::string data(3 * 1024 * 1024, '\0');
  for (char& c : data) c = static_cast<char>(random() % 4 == 0 ? '\r' : random() % 3 ? '-' : '\n');
  const std::string body = file("files", "big.raw", "image/x-raw", data) + END;
  std::vector<std::size_t> cuts;
  for (std::size_t at = 0; at < body.size(); at += 1 + random() % 70'000) cuts.push_back(at);
  const Outcome out = parse(body, cuts);
  ASSERT_TRUE(out.complete) << out.message;
  ASSERT_EQ(out.parts.size(), 1u);
  EXPECT_TRUE(out.parts[0].data == data);
}

TEST(MultipartParser, IgnoresPreambleEpilogueAndPadding) {
  const std::string body = "This is a preamble.\r\n" + DASH + " \t \r\n" +
                           "Content-Disposition: form-data; name=\"a\"\r\n\r\nA\r\n" + DASH +
                           "--  trailing\r\nepilogue " + DASH + "\r\nnot a part";
  const Outcome out = parse(body);
  ASSERT_TRUE(out.complete) << out.message;
  ASSERT_EQ(out.parts.size(), 1u);
  EXPECT_EQ(out.parts[0].data, "A");
  expect_split_invariant(body);

  // The body may also start with a CRLF, or end right after the closing "--".
  EXPECT_TRUE(parse("\r\n" + field("a", "A") + DASH + "--").complete);
}

TEST(MultipartParser, HeaderDetails) {
  const std::string body = DASH +
                           "\r\nContent-Disposition: form-data;\r\n\tname=\"folded\"; "
                           "filename=\"\"\r\nContent-Transfer-Encoding: binary\r\n"
                           "X-Whatever: 1\r\n\r\ndata\r\n" +
                           DASH +
                           "\r\nContent-Disposition: FORM-DATA; name=plain; "
                           "filename=\"C:\\Users\\me\\a \\\"q\\\".jpg\"\r\n\r\n\r\n" +
                           END;
  const Outcome out = parse(body);
  ASSERT_TRUE(out.complete) << out.message;
  ASSERT_EQ(out.parts.size(), 2u);
  EXPECT_EQ(out.parts[0].headers.name, "folded") << "obsolete line folding is unfolded";
  EXPECT_EQ(out.parts[0].headers.filename, "") << "an empty file input: a file with no name";
  EXPECT_EQ(out.parts[1].headers.name, "plain");
  EXPECT_EQ(out.parts[1].headers.filename, R"(C:\Users\me\a "q".jpg)");
  EXPECT_EQ(out.parts[1].data, "");
}

struct Refusal {
  std::string what;
  std::string body;
  MultipartProblem problem;
  ErrorCode code;
  std::string message_part;
  std::string field;
};

TEST(MultipartParser, RefusesMalformedBodiesWithAReason) {
  const std::string cd = "\r\nContent-Disposition: form-data; name=\"a\"";
  const std::vector<Refusal> cases = {
      {"no final boundary", field("a", "A") + file("files", "cut.jpg", "image/jpeg", "xx"),
       MultipartProblem::truncated, ErrorCode::invalid_request,
       "ended inside part 2 ('files', file 'cut.jpg')", "files"},
      {"body ends inside data", field("a", "A") + DASH + cd + "\r\n\r\npartial",
       MultipartProblem::truncated, ErrorCode::invalid_request, "ended inside part 2", "a"},
      {"final boundary without --", field("a", "A") + DASH, MultipartProblem::truncated,
       ErrorCode::invalid_request, "right after a boundary", "a"},
      {"body ends in headers", DASH + cd, MultipartProblem::truncated, ErrorCode::invalid_request,
       "inside the headers of part 1", ""},
      {"no boundary at all", "just some text", MultipartProblem::truncated,
       ErrorCode::invalid_request, "no boundary line", ""},
      {"empty body", "", MultipartProblem::truncated, ErrorCode::invalid_request,
       "no boundary line", ""},
      {"boundary inside data", field("a", "x\r\n" + DASH + "X and more") + END,
       MultipartProblem::malformed, ErrorCode::invalid_request, "followed by other bytes", ""},
      {"boundary line with LF only", DASH + "\n" + cd.substr(2) + "\r\n\r\nA\r\n" + END,
       MultipartProblem::malformed, ErrorCode::invalid_request, "followed by other bytes", ""},
      {"no Content-Disposition", DASH + "\r\nContent-Type: text/plain\r\n\r\nA\r\n" + END,
       MultipartProblem::malformed, ErrorCode::invalid_request, "part 1 has no Content-Disposition",
       ""},
      {"not form-data", DASH + "\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nA\r\n" + END,
       MultipartProblem::malformed, ErrorCode::invalid_request, "not a valid form-data", ""},
      {"no name", DASH + "\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nA\r\n" + END,
       MultipartProblem::malformed, ErrorCode::invalid_request, "no field name", ""},
      {"empty name", DASH + "\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nA\r\n" + END,
       MultipartProblem::malformed, ErrorCode::invalid_request, "no field name", ""},
      {"two dispositions", DASH + cd + cd + "\r\n\r\nA\r\n" + END, MultipartProblem::malformed,
       ErrorCode::invalid_request, "two content-disposition headers", ""},
      {"two types", DASH + cd + "\r\nContent-Type: a/b\r\nContent-Type: c/d\r\n\r\nA\r\n" + END,
       MultipartProblem::malformed, ErrorCode::invalid_request, "two content-type headers", ""},
      {"header without colon", DASH + cd + "\r\nNot a header\r\n\r\nA\r\n" + END,
       MultipartProblem::malformed, ErrorCode::invalid_request, "not \"Name: value\"", ""},
      {"bare LF in a header", DASH + cd + "\r\nX-A: 1\nX-B: 2\r\n\r\nA\r\n" + END,
       MultipartProblem::malformed, ErrorCode::invalid_request, "bare CR, LF or NUL", ""},
      {"bare CR in a header", DASH + cd + "\r\nX-A: 1\rX-B: 2\r\n\r\nA\r\n" + END,
       MultipartProblem::malformed, ErrorCode::invalid_request, "bare CR, LF or NUL", ""},
      {"NUL in a header", DASH + cd + "\r\nX-A: 1\0\r\n\r\nA\r\n"s + END,
       MultipartProblem::malformed, ErrorCode::invalid_request, "bare CR, LF or NUL", ""},
      {"continuation first", DASH + "\r\n folded\r\n" + cd.substr(2) + "\r\n\r\nA\r\n" + END,
       MultipartProblem::malformed, ErrorCode::invalid_request, "continuation line", ""},
      {"bad filename*",
       DASH + "\r\nContent-Disposition: form-data; name=\"files\"; filename*=UTF-8''%ZZ\r\n\r\n" +
           "A\r\n" + END,
       MultipartProblem::malformed, ErrorCode::invalid_request, "filename*", "files"},
      {"filename* not UTF-8",
       DASH +
           "\r\nContent-Disposition: form-data; name=\"files\"; filename*=UTF-8''%C3%28\r\n\r\n" +
           "A\r\n" + END,
       MultipartProblem::malformed, ErrorCode::invalid_request, "filename*", "files"},
  };
  for (const Refusal& r : cases) {
    SCOPED_TRACE(r.what);
    const Outcome out = parse(r.body);
    EXPECT_FALSE(out.complete);
    EXPECT_EQ(out.problem, r.problem) << out.message;
    EXPECT_EQ(out.code, r.code);
    EXPECT_NE(out.message.find(r.message_part), std::string::npos) << out.message;
    EXPECT_EQ(out.field, r.field);
    expect_split_invariant(r.body);
  }
}

TEST(MultipartParser, EnforcesLimitsNamingThePart) {
  MultipartLimits limits;
  limits.max_part_bytes = 10;
  const std::string exact = file("files", "ten.jpg", "image/jpeg", "0123456789") + END;
  EXPECT_TRUE(parse(exact, {}, limits).complete);
  expect_split_invariant(exact, limits);

  const std::string over =
      field("a", "ok") + file("files", "eleven.jpg", "image/jpeg", "0123456789A") + END;
  const Outcome big = parse(over, {}, limits);
  EXPECT_EQ(big.problem, MultipartProblem::part_too_large);
  EXPECT_EQ(big.code, ErrorCode::too_large);
  EXPECT_EQ(big.field, "files");
  EXPECT_NE(big.message.find("part 2 ('files', file 'eleven.jpg') is larger than 10 bytes"),
            std::string::npos)
      << big.message;
  EXPECT_EQ(parse_bytewise(over, limits).describe(), big.describe());
  // Bytes that arrive after the refusal are not looked at, let alone handed out.
  for (const auto& p : parse_bytewise(over, limits).parts) EXPECT_LE(p.data.size(), 10u);

  limits = {};
  limits.max_parts = 2;
  const std::string many =
      field("a", "1") + field("b", "2") + file("files", "third.png", "image/png", "3") + END;
  const Outcome too_many = parse(many, {}, limits);
  EXPECT_EQ(too_many.problem, MultipartProblem::too_many_parts);
  EXPECT_EQ(too_many.code, ErrorCode::too_large);
  EXPECT_NE(too_many.message.find("part 3 ('files', file 'third.png') is one part too many"),
            std::string::npos)
      << too_many.message;
  EXPECT_EQ(too_many.parts.size(), 2u) << "the extra part is never begun";
  expect_split_invariant(many, limits);

  limits = {};
  limits.max_header_bytes = 100;
  const std::string long_header = DASH + "\r\nContent-Disposition: form-data; name=\"" +
                                  std::string(200, 'n') + "\"\r\n\r\n" + "A\r\n" + END;
  const Outcome headers = parse(long_header, {}, limits);
  EXPECT_EQ(headers.problem, MultipartProblem::headers_too_large);
  EXPECT_EQ(headers.code, ErrorCode::too_large);
  expect_split_invariant(long_header, limits);
  // A header line that never ends is refused as soon as it passes the limit, not buffered.
  Outcome endless;
  Recorder recorder(endless);
  MultipartParser parser(BOUNDARY, recorder, limits);
  EXPECT_TRUE(parser.feed(DASH + "\r\nX: "));
  bool refused = false;
  for (int i = 0; i < 1000 && !refused; ++i) refused = !parser.feed("aaaaaaaaaa");
  EXPECT_TRUE(refused);
  EXPECT_EQ(parser.problem(), MultipartProblem::headers_too_large);

  limits = {};
  limits.max_preamble_bytes = 16;
  const Outcome preamble = parse(std::string(100, 'p') + field("a", "A") + END, {}, limits);
  EXPECT_EQ(preamble.problem, MultipartProblem::preamble_too_large);
  EXPECT_TRUE(parse(std::string(16, 'p') + "\r\n" + field("a", "A") + END, {}, limits).complete)
      << "a preamble is CRLF-terminated; the CRLF does not count";
}

TEST(MultipartParser, AHandlerCanStopTheUpload) {
  const std::string body =
      field("a", "A") + file("files", "x.svg", "image/svg+xml", "<svg/>") + field("c", "C") + END;
  const Outcome out = parse(body, {}, {}, BOUNDARY, /*stop_at_begin=*/1);
  EXPECT_EQ(out.problem, MultipartProblem::stopped);
  EXPECT_FALSE(out.complete);
  ASSERT_EQ(out.parts.size(), 2u);
  EXPECT_EQ(out.parts[1].data, "") << "nothing after the refusal";
  EXPECT_EQ(out.field, "files");
}

TEST(MultipartParser, CallsAfterTheEndOrARefusal) {
  Outcome out;
  Recorder recorder(out);
  MultipartParser done(BOUNDARY, recorder);
  EXPECT_TRUE(done.feed(field("a", "A") + END));
  EXPECT_TRUE(done.complete());
  EXPECT_TRUE(done.feed(field("b", "ignored epilogue") + END));
  EXPECT_TRUE(done.finish());
  EXPECT_EQ(out.parts.size(), 1u);

  MultipartParser refused(BOUNDARY, recorder);
  EXPECT_FALSE(refused.feed(DASH + "XY"));
  EXPECT_FALSE(refused.feed(field("a", "A")));
  EXPECT_FALSE(refused.finish());
  EXPECT_EQ(refused.problem(), MultipartProblem::malformed);
  EXPECT_EQ(out.parts.size(), 1u);

  EXPECT_THROW(MultipartParser("", recorder), std::invalid_argument);
  EXPECT_THROW(MultipartParser(std::string(71, 'b'), recorder), std::invalid_argument);
}

// Random damage to a valid body (flipped, inserted, deleted bytes; truncation) must never crash
// (the sanitizer build checks memory) and must give one outcome whatever the chunking.
TEST(MultipartParser, DamagedBodiesAreRefusedTheSameWayInAnyChunks) {
  const std::string valid = field("options", "{}") +
                            file("files", "a.jpg", "image/jpeg", tricky_data()) +
                            file("files", "b.png", "image/png", "PNG") + END;
  const std::string alphabet = "\r\n-: ;=\"'%" + BOUNDARY.substr(0, 8) + std::string(1, '\0');
  std::mt19937 random(2024);
  MultipartLimits limits;
  limits.max_part_bytes = 60;
  limits.max_header_bytes = 120;
  limits.max_parts = 3;
  int refused = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string body = valid;
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits && !body.empty(); ++e) {
      const std::size_t at = random() % body.size();
      switch (random() % 4) {
        case 0:
          body[at] = alphabet[random() % alphabet.size()];
          break;
        case 1:
          body.insert(at, 1, alphabet[random() % alphabet.size()]);
          break;
        case 2:
          body.erase(at, 1 + random() % 3);
          break;
        default:
          body.resize(at);
          break;
      }
    }
    const Outcome whole = parse(body, {}, limits);
    if (!whole.complete) ++refused;
    std::vector<std::size_t> cuts;
    for (std::size_t at = 0; at < body.size(); at += 1 + random() % 9) cuts.push_back(at);
    ASSERT_EQ(parse(body, cuts, limits).describe(), whole.describe())
        << testing::PrintToString(body);
    if (round % 10 == 0) {
      ASSERT_EQ(parse_bytewise(body, limits).describe(), whole.describe())
          << testing::PrintToString(body);
    }
  }
  EXPECT_GT(refused, 500) << "the damage should often break the body";
}

TEST(MultipartBoundary, FromTheContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + BOUNDARY).value(), BOUNDARY);
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; Boundary=\"a b:c?\"").value(),
            "a b:c?");
  EXPECT_EQ(multipart_boundary("multipart/form-data;boundary=" + std::string(70, 'x')).value(),
            std::string(70, 'x'));

  const auto wrong_type = multipart_boundary("application/json");
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_EQ(wrong_type.error().code, ErrorCode::unsupported_format);
  EXPECT_EQ(wrong_type.error().field, "Content-Type");
  EXPECT_EQ(multipart_boundary("").error().code, ErrorCode::unsupported_format);
  EXPECT_EQ(multipart_boundary("multipart/mixed; boundary=x").error().code,
            ErrorCode::unsupported_format);

  for (const std::string& bad :
       std::vector<std::string>{"multipart/form-data", "multipart/form-data; boundary=\"\"",
                                "multipart/form-data; boundary=\"ends with space \"",
                                "multipart/form-data; boundary=" + std::string(71, 'x'),
                                "multipart/form-data; boundary=\"semi;colon\"",
                                "multipart/form-data; boundary=\"quote\\\"d\""}) {
    const auto result = multipart_boundary(bad);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.error().code, ErrorCode::invalid_request) << bad;
  }
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=a; boundary=b").error().code,
            ErrorCode::unsupported_format)
      << "a repeated parameter makes the header unreadable";
}

}  // namespace
}  // namespace imagesprint::http
