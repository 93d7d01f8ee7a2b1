// `imagesprint serve` with its objects in S3: the same job as on the local folder, through a real
// S3 server (@20minutes/s3rver on 127.0.0.1, started once per run by the CTest fixture
// "s3_server"; its state file is IMAGESPRINT_S3_STATE). Uploads, outputs and the ZIP go to the
// bucket and never to the local disk; downloads answer 302 to a presigned S3 URL that names the
// file; another user gets 404; deleting the job empties its prefix. And S3 answering 503: every
// request retried.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "job_checks.hpp"
#include "serve_process.hpp"
#include "support/corpus.hpp"

namespace imagesprint {
namespace {

using nlohmann::json;
using test::corpus_file;
using test::FilePart;
using test::ServeProcess;

json wait_job(ServeProcess& server, const std::string& job, const std::string& token) {
  return test::wait_finished(server, job, token, 120);
}
namespace fs = std::filesystem;

struct S3Server {
  std::string endpoint;
  std::string bucket;
  std::string access_key_id;
  std::string secret_access_key;
  fs::path folder;
};

S3Server s3_server() {
  const char* file = std::getenv("IMAGESPRINT_S3_STATE");
  if (file == nullptr) throw std::runtime_error("IMAGESPRINT_S3_STATE is not set (run by ctest)");
  std::ifstream in(file);
  const auto state = json::parse(in);
  return {state["endpoint"], state["bucket"], state["access_key_id"], state["secret_access_key"],
          state["folder"].get<std::string>()};
}

std::size_t append_to(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

/// A GET with no credentials, as a browser following the redirect makes it.
std::pair<long, std::string> fetch(const std::string& url, std::string* headers = nullptr) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  std::string body;
  std::string head;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append_to);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, append_to);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &head);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 60L);
  long status = 0;
  if (curl_easy_perform(curl.get()) == CURLE_OK) {
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  }
  if (headers) *headers = head;
  return {status, body};
}

/// Files under the S3 server's folder whose path mentions `prefix` (s3rver keeps one file per
/// object, and some metadata beside it).
int stored_under(const S3Server& s3, const std::string& prefix) {
  int count = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(s3.folder, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().string().find(prefix) != std::string::npos) ++count;
  }
  return count;
}

TEST(ServeOnS3, AJobsFilesLiveInTheBucketAndDownloadsRedirectToIt) {
  const S3Server s3 = s3_server();
  const std::string prefix = "serve-" + std::to_string(std::random_device{}());
  ServeProcess server({"--objects",
                       "s3://" + s3.bucket + "/" + prefix + "?endpoint=" + s3.endpoint +
                           "&region=us-east-1&path_style=true",
                       "--s3-access-key-id", s3.access_key_id, "--s3-secret-access-key",
                       s3.secret_access_key});
  const std::string alice = server.signup("alice@example.com");
  const std::string bob = server.signup("bob@example.com");
  const std::vector<FilePart> files{corpus_file("photos/path-2560x1600.jpg"),
                                    corpus_file("orientation/Landscape_5.jpg"),
                                    corpus_file("edge/truncated.jpg")};
  // The name needs RFC 5987 in the download's Content-Disposition (filename*=UTF-8''...): its
  // ' and *, and the name's own quotes and parentheses, are in the presigned query.
  const auto created = server.post_multipart(
      "/v1/jobs", files,
      {{"options", R"({"width": 320, "format": "webp"})"},
       {"name", "\xec\x82\xac\xec\xa7\x84 \"summer\" (1)"}},  // 사진 "summer" (1)
      alice);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string job = json::parse(created.body)["id"];
  const json done = wait_job(server, job, alice);
  EXPECT_EQ(done["status"], "partial") << done.dump();
  EXPECT_EQ(done["done"], 2);

  // Nothing on local disk: inputs, outputs and the ZIP are objects in the bucket.
  EXPECT_FALSE(fs::exists(server.data() / "objects"));
  EXPECT_GE(stored_under(s3, prefix), 6) << "3 inputs, 2 outputs, the ZIP";

  // The archive: a 302 to a presigned S3 URL that works without our credentials.
  const auto archive = server.get("/v1/jobs/" + job + "/archive", alice);
  ASSERT_EQ(archive.status, 302) << archive.body;
  const std::string location = archive.headers.at("location");
  EXPECT_TRUE(location.starts_with(s3.endpoint + "/" + s3.bucket + "/" + prefix + "/")) << location;
  EXPECT_NE(location.find("X-Amz-Signature="), std::string::npos);
  EXPECT_NE(location.find("response-content-disposition="), std::string::npos);
  std::string headers;
  const auto [status, zip] = fetch(location, &headers);
  EXPECT_EQ(status, 200) << zip.substr(0, 300);
  EXPECT_EQ(zip.substr(0, 2), "PK");
  EXPECT_NE(headers.find("filename*=UTF-8''%EC%82%AC%EC%A7%84%20%22summer%22%20%281%29.zip"),
            std::string::npos)
      << headers;

  // One output, and the upload as received.
  const auto image = server.get("/v1/jobs/" + job + "/images/0", alice);
  ASSERT_EQ(image.status, 302);
  const auto [image_status, webp] = fetch(image.headers.at("location"));
  EXPECT_EQ(image_status, 200);
  EXPECT_EQ(webp.substr(8, 4), "WEBP");
  const auto source = server.get("/v1/jobs/" + job + "/images/0/source", alice);
  ASSERT_EQ(source.status, 302);
  EXPECT_TRUE(fetch(source.headers.at("location")).second == files[0].bytes);
  // Thumbnails are rendered by the API from the stored object.
  const auto thumb = server.get("/v1/jobs/" + job + "/images/0?size=256", alice);
  EXPECT_EQ(thumb.status, 200);
  EXPECT_EQ(thumb.body.substr(8, 4), "WEBP");

  // Another user's requests never reach the bucket.
  for (const std::string path : {"/archive", "/images/0", "/images/0/source"}) {
    EXPECT_EQ(server.get("/v1/jobs/" + job + path, bob).status, 404) << path;
  }

  // Deleting the job deletes its objects.
  EXPECT_EQ(server.del("/v1/jobs/" + job, alice).status, 204);
  EXPECT_EQ(stored_under(s3, prefix + "/jobs/" + job), 0);
}

/// `serve` on the fixture's S3 server under `prefix`, downloads through the API.
ServeProcess serve_on(const S3Server& s3, const std::string& prefix) {
  return ServeProcess({"--objects",
                       "s3://" + s3.bucket + "/" + prefix + "?endpoint=" + s3.endpoint +
                           "&region=us-east-1&path_style=true",
                       "--s3-access-key-id", s3.access_key_id, "--s3-secret-access-key",
                       s3.secret_access_key, "--download-redirect=false"});
}

TEST(ServeOnS3, S3Answering503IsRetriedByUploadsConversionsAndTheZip) {
  // Under a key segment "fault-503xN" the test server answers 503 SlowDown the first N times each
  // request (method and path) comes (tests/support/s3_server.mjs). Two refusals of every PUT,
  // GET, HEAD and DELETE of a job: the upload, the conversions and the ZIP all retry and succeed.
  const S3Server s3 = s3_server();
  const std::string base = "faults-" + std::to_string(std::random_device{}());
  ServeProcess server = serve_on(s3, base + "/fault-503x2");
  const std::string token = server.signup("slowdown@example.com");
  const std::vector<FilePart> files{corpus_file("photos/path-2560x1600.jpg"),
                                    corpus_file("orientation/Landscape_5.jpg")};
  const auto created = server.post_multipart(
      "/v1/jobs", files, {{"options", R"({"width": 320, "format": "webp"})"}}, token);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string job = json::parse(created.body)["id"];
  const json done = wait_job(server, job, token);
  EXPECT_EQ(done["status"], "done") << done.dump();
  const auto zip = server.get("/v1/jobs/" + job + "/archive", token);
  ASSERT_EQ(zip.status, 200) << zip.body.substr(0, 300);
  EXPECT_EQ(test::zip_entries(zip.body).size(), 3u);  // two outputs and the manifest
  const auto image = server.get("/v1/jobs/" + job + "/images/1", token);
  EXPECT_EQ(image.status, 200);
  EXPECT_EQ(image.body.substr(8, 4), "WEBP");

  // The faults are real: refused more times than a request is tried (5), the upload fails with
  // a 5xx naming no secret, and no job is left.
  ServeProcess refused = serve_on(s3, base + "/fault-503x9");
  const std::string other = refused.signup("refused@example.com");
  const auto failed = refused.post_multipart("/v1/jobs", {files[1]}, {}, other);
  EXPECT_GE(failed.status, 500) << failed.body;
  EXPECT_EQ(failed.body.find(s3.secret_access_key), std::string::npos);
  EXPECT_EQ(json::parse(refused.get("/v1/jobs", other).body)["items"].size(), 0u);
}

TEST(ServeOnS3, ABadObjectsSettingStopsTheStartWithItsName) {
  // Parsed at start-up: exit status 2 and the setting named, never a secret.
  EXPECT_THROW(ServeProcess({"--objects", "s3://"}), std::runtime_error);
  // And the server that did not start leaves no data folder behind (it had made its database).
  const std::string ours = "imagesprint-serve-" + std::to_string(::getpid()) + "-";
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::temp_directory_path())) {
    EXPECT_FALSE(entry.path().filename().string().starts_with(ours)) << entry.path();
  }
}

}  // namespace
}  // namespace imagesprint
