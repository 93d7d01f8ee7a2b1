// Our SigV4 signer (adapters/s3/sigv4.cpp) on the AWS SigV4 test suite (tests/data/sigv4/, the
// aws-signing-test-suite/v4 cases of awslabs/aws-c-auth): for each case, header signing and
// query presigning must produce the suite's canonical request, string to sign and signature.
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "adapters/s3/hashing.hpp"
#include "adapters/s3/sigv4.hpp"

namespace imagesprint::s3 {
namespace {

namespace fs = std::filesystem;

const fs::path VECTORS = IMAGESPRINT_SIGV4_VECTORS_DIR;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::int64_t parse_timestamp(const std::string& iso) {  // "2015-08-30T12:36:00Z"
  std::tm parts{};
  std::istringstream in(iso);
  in >> std::get_time(&parts, "%Y-%m-%dT%H:%M:%SZ");
  return static_cast<std::int64_t>(timegm(&parts));
}

struct Case {
  RequestToSign request;
  Credentials credentials;
  SigningScope scope;
  SigningOptions options;
  std::int64_t expires = 0;
};

/// request.txt: "METHOD PATH?QUERY HTTP/1.1", then "Name:value" lines (a line starting with a
/// space continues the previous value), an empty line and the body.
Case load(const fs::path& folder) {
  Case c;
  const auto context = nlohmann::json::parse(read_text(folder / "context.json"));
  c.credentials.access_key_id = context["credentials"]["access_key_id"];
  c.credentials.secret_access_key = context["credentials"]["secret_access_key"];
  c.credentials.session_token = context["credentials"].value("token", "");
  c.scope.region = context["region"];
  c.scope.service = context["service"];
  c.scope.time = parse_timestamp(context["timestamp"]);
  c.expires = context["expiration_in_seconds"];
  c.options.normalize_path = context["normalize"];
  c.options.content_sha256_header = context["sign_body"];
  c.options.sign_session_token = !context.value("omit_session_token", false);

  const std::string text = read_text(folder / "request.txt");
  const auto head_end = text.find("\n\n");
  const std::string head = text.substr(0, head_end);
  const std::string body = head_end == std::string::npos ? "" : text.substr(head_end + 2);
  std::istringstream lines(head);
  std::string line;
  std::getline(lines, line);
  const auto first_space = line.find(' ');
  const auto version = line.rfind(" HTTP/");
  c.request.method = line.substr(0, first_space);
  const std::string target = line.substr(first_space + 1, version - first_space - 1);
  const auto question = target.find('?');
  c.request.path = target.substr(0, question);
  if (question != std::string::npos) {
    std::string_view query = std::string_view(target).substr(question + 1);
    while (!query.empty()) {
      const auto amp = std::min(query.find('&'), query.size());
      const std::string_view pair = query.substr(0, amp);
      const auto equals = std::min(pair.find('='), pair.size());
      c.request.query.emplace_back(
          uri_decode(pair.substr(0, equals)),
          uri_decode(equals < pair.size() ? pair.substr(equals + 1) : std::string_view{}));
      query.remove_prefix(std::min(amp + 1, query.size()));
    }
  }
  while (std::getline(lines, line)) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !c.request.headers.empty()) {
      c.request.headers.back().second += line;
      continue;
    }
    const auto colon = line.find(':');
    c.request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  c.request.payload_hash = hex(sha256(body));
  return c;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(VECTORS)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::ranges::sort(names);
  return names;
}

class SigV4Vectors : public ::testing::TestWithParam<std::string> {};

TEST(SigV4VectorsFolder, HoldsTheSuite) {
  EXPECT_GE(case_names().size(), 37u);
}

TEST_P(SigV4Vectors, HeaderSigning) {
  const fs::path folder = VECTORS / GetParam();
  const Case c = load(folder);
  const HeaderSignature signed_request = sign_headers(c.request, c.credentials, c.scope, c.options);
  EXPECT_EQ(signed_request.parts.canonical_request,
            read_text(folder / "header-canonical-request.txt"));
  EXPECT_EQ(signed_request.parts.string_to_sign, read_text(folder / "header-string-to-sign.txt"));
  EXPECT_EQ(signed_request.parts.signature, read_text(folder / "header-signature.txt"));
}

TEST_P(SigV4Vectors, QueryPresigning) {
  const fs::path folder = VECTORS / GetParam();
  const Case c = load(folder);
  const QuerySignature presigned =
      presign_query(c.request, c.credentials, c.scope, c.expires, c.options);
  EXPECT_EQ(presigned.parts.canonical_request, read_text(folder / "query-canonical-request.txt"));
  EXPECT_EQ(presigned.parts.string_to_sign, read_text(folder / "query-string-to-sign.txt"));
  EXPECT_EQ(presigned.parts.signature, read_text(folder / "query-signature.txt"));
  EXPECT_TRUE(presigned.query.ends_with("&X-Amz-Signature=" + presigned.parts.signature));
}

INSTANTIATE_TEST_SUITE_P(AwsSigningTestSuite, SigV4Vectors, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param;
                           std::ranges::replace(name, '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace imagesprint::s3
