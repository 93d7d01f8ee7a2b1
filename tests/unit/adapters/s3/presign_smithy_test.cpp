// Our presigned URLs (S3ObjectStore::presign and presign_get, on the hand-written SigV4 of
// adapters/s3/sigv4.cpp) against the npm @smithy/signature-v4 signer, the AWS SDK's own, on a few
// hundred random requests: methods, path-style and virtual-hosted addressing, endpoints with and
// without ports, buckets, prefixes, regions, keys, credentials with and without a session token,
// signing times, lifetimes and download names (response-content-disposition). Every URL must be
// the same: host, path and every query parameter, the signature included. No network: node runs
// smithy_presign.mjs on the requests.
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "adapters/s3/content_disposition.hpp"
#include "adapters/s3/s3_object_store.hpp"
#include "adapters/s3/sigv4.hpp"

namespace imagesprint::s3 {
namespace {

constexpr int CASES = 300;
constexpr unsigned SEED = 20261202;

struct Endpoint {
  std::string url;       // as configured
  std::string protocol;  // "http:"
  std::string hostname;
  std::optional<int> port;  // as the URL carries it (none for the scheme's default)
};

const std::vector<Endpoint> ENDPOINTS = {
    {"http://127.0.0.1:9000", "http:", "127.0.0.1", 9000},
    {"https://s3.eu-west-3.amazonaws.com", "https:", "s3.eu-west-3.amazonaws.com", std::nullopt},
    {"http://minio.internal:9000/", "http:", "minio.internal", 9000},
    {"https://storage.example.com:443", "https:", "storage.example.com", std::nullopt},
    {"http://objects.example.org:80", "http:", "objects.example.org", std::nullopt},
};
const std::vector<std::string> REGIONS = {"us-east-1", "eu-west-3", "ap-northeast-2", "auto",
                                          "garage"};
const std::vector<std::string> NAMES = {"photo.webp",
                                        "photo 1.jpg",
                                        "사진 01.avif",
                                        "rapport \"final\".png",
                                        "100% done.gif",
                                        "a;b=c.tiff",
                                        "naïve café.bmp",
                                        "emoji 😀.webp",
                                        "tab\tname.jpg",
                                        "back\\slash.png",
                                        "it's (1) [copy] *.jpg",
                                        "plus+and&amp.webp",
                                        "",
                                        "ÅÄÖ~^`|.png"};

class Random {
 public:
  explicit Random(unsigned seed) : engine_(seed) {}
  int between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(engine_); }
  std::int64_t between64(std::int64_t low, std::int64_t high) {
    return std::uniform_int_distribution<std::int64_t>(low, high)(engine_);
  }
  std::string text(std::string_view alphabet, int low, int high) {
    std::string out;
    for (int i = between(low, high); i > 0; --i) {
      out.push_back(
          alphabet[static_cast<std::size_t>(between(0, static_cast<int>(alphabet.size()) - 1))]);
    }
    return out;
  }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(between(0, static_cast<int>(items.size()) - 1))];
  }

 private:
  std::mt19937 engine_;
};

constexpr std::string_view LOWER_DIGITS = "abcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view KEY_CHARS =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";
constexpr std::string_view BASE64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

std::string random_key(Random& random, int max_segments) {
  std::string key;
  for (int i = random.between(1, max_segments); i > 0; --i) {
    if (!key.empty()) key += '/';
    key += random.text(LOWER_DIGITS.substr(0, 26), 1, 1);  // no leading '.'
    key += random.text(KEY_CHARS, 0, 12);
  }
  return key;
}

struct Case {
  nlohmann::json smithy;  // what smithy_presign.mjs signs
  std::string ours;       // the URL S3ObjectStore made
};

Case make_case(Random& random) {
  const Endpoint& endpoint = random.pick(ENDPOINTS);
  S3ObjectStoreConfig config;
  config.endpoint = endpoint.url;
  config.path_style = random.between(0, 1) == 1;
  config.bucket = random.text(LOWER_DIGITS, 1, 1) +
                  random.text("abcdefghijklmnopqrstuvwxyz0123456789-", 1, 20) +
                  random.text(LOWER_DIGITS, 1, 1);
  config.prefix = random.between(0, 2) == 0 ? "" : random_key(random, 2);
  config.region = random.pick(REGIONS);
  config.credentials.access_key_id =
      "AKIA" + random.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, 16);
  config.credentials.secret_access_key = random.text(BASE64, 40, 40);
  config.credentials.session_token = random.between(0, 2) == 0 ? random.text(BASE64, 100, 300) : "";
  // 2000-01-01 to 2037-12-31, with milliseconds (the signature names whole seconds).
  const std::int64_t time_ms = random.between64(946'684'800'000, 2'145'916'799'999);
  config.clock = [time_ms] { return time_ms; };
  S3ObjectStore store(config);

  const std::string key = random_key(random, 5);
  const auto ttl =
      std::chrono::seconds(random.between(0, 3) == 0 ? 604800 : random.between(1, 604800));
  const int kind = random.between(0, 2);  // presign GET, presign PUT, presign_get with a name
  const PresignMethod method = kind == 1 ? PresignMethod::put : PresignMethod::get;
  std::string filename;
  nlohmann::json query = nlohmann::json::object();
  PresignedUrl url;
  if (kind == 2) {
    filename = random.pick(NAMES);
    url = store.presign_get(key, ttl, filename);
    query["response-content-disposition"] = attachment_disposition(filename);
  } else {
    url = store.presign(method, key, ttl);
  }
  EXPECT_EQ(url.expires_at, (time_ms / 1000 + ttl.count()) * 1000);

  const std::string host_name =
      config.path_style ? endpoint.hostname : config.bucket + "." + endpoint.hostname;
  const std::string host = host_name + (endpoint.port ? ":" + std::to_string(*endpoint.port) : "");
  const std::string path = (config.path_style ? "/" + config.bucket : std::string()) + "/" +
                           (config.prefix.empty() ? "" : config.prefix + "/") + key;
  nlohmann::json smithy = {
      {"method", std::string(to_string(method))},
      {"protocol", endpoint.protocol},
      {"hostname", host_name},
      {"port", endpoint.port ? nlohmann::json(*endpoint.port) : nlohmann::json(nullptr)},
      {"path", path},
      {"query", query},
      {"host", host},
      {"region", config.region},
      {"access_key_id", config.credentials.access_key_id},
      {"secret_access_key", config.credentials.secret_access_key},
      {"session_token", config.credentials.session_token},
      {"signing_time_ms", time_ms},
      {"expires_in", ttl.count()},
  };
  return {smithy, url.url};
}

/// scheme://host/path and the query's decoded parameters, to compare URLs whatever the order of
/// their parameters.
struct ParsedUrl {
  std::string base;
  std::map<std::string, std::string> query;
  bool operator==(const ParsedUrl&) const = default;
};

ParsedUrl parse(std::string_view url) {
  ParsedUrl out;
  const auto question = url.find('?');
  out.base = std::string(url.substr(0, question));
  std::string_view query = question == std::string_view::npos ? "" : url.substr(question + 1);
  while (!query.empty()) {
    const auto amp = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, amp);
    const auto equals = std::min(pair.find('='), pair.size());
    out.query[uri_decode(pair.substr(0, equals))] =
        uri_decode(equals < pair.size() ? pair.substr(equals + 1) : "");
    query.remove_prefix(std::min(amp + 1, query.size()));
  }
  return out;
}

std::string run(const std::string& command) {
  std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string output;
  char buffer[65536];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe.get()))
    output.append(buffer, n);
  return output;
}

TEST(PresignAgreesWithSmithy, OnRandomRequests) {
  ASSERT_STRNE(IMAGESPRINT_NODE, "") << "node is needed (scripts/install-deps.sh)";
  Random random(SEED);
  std::vector<Case> cases;
  nlohmann::json inputs = nlohmann::json::array();
  for (int i = 0; i < CASES; ++i) {
    cases.push_back(make_case(random));
    inputs.push_back(cases.back().smithy);
  }
  const auto file = std::filesystem::temp_directory_path() /
                    ("imagesprint-smithy-" + std::to_string(getpid()) + ".json");
  std::ofstream(file) << inputs.dump();
  const std::string output =
      run(std::string(IMAGESPRINT_NODE) + " " + IMAGESPRINT_SMITHY_SCRIPT + " " + file.string());
  std::filesystem::remove(file);
  const auto urls = nlohmann::json::parse(output, nullptr, false);
  ASSERT_FALSE(urls.is_discarded()) << output;
  ASSERT_EQ(urls.size(), cases.size()) << output;

  int agreed = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const ParsedUrl ours = parse(cases[i].ours);
    const ParsedUrl theirs = parse(urls[i].get<std::string>());
    EXPECT_EQ(ours.base, theirs.base) << "case " << i << ": " << cases[i].smithy.dump();
    EXPECT_EQ(ours.query, theirs.query) << "case " << i << ": " << cases[i].smithy.dump();
    EXPECT_EQ(ours.query.at("X-Amz-Signature"), theirs.query.at("X-Amz-Signature")) << "case " << i;
    if (ours == theirs) ++agreed;
  }
  EXPECT_EQ(agreed, CASES);
  std::printf("@smithy/signature-v4 agreed on %d of %d presigned URLs\n", agreed, CASES);
}

}  // namespace
}  // namespace imagesprint::s3
