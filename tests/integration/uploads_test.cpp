// Resumable uploads (tus 1.0.0 on /v1/uploads) against the real `imagesprint serve`: protocol
// conformance (OPTIONS, creation, HEAD, PATCH, termination, expiration), a PATCH cut mid-way
// keeping its bytes, jobs made of upload ids with the same checks as a multipart upload, other
// users' uploads, and the per-file and per-user limits before any byte is read.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "job_checks.hpp"
#include "serve_process.hpp"
#include "support/corpus.hpp"

namespace imagesprint {
namespace {

using nlohmann::json;
using test::HttpResult;
using test::ServeProcess;

const std::string TUS = "Tus-Resumable: 1.0.0";
const std::string OCTETS = "Content-Type: application/offset+octet-stream";

std::string photo_bytes(const std::string& relative = "photos/path-2560x1600.jpg") {
  const auto bytes = test::read_bytes(test::corpus(relative));
  return {bytes.begin(), bytes.end()};
}

std::string field_of(const HttpResult& r) {
  const auto body = json::parse(r.body, nullptr, false);
  if (!body.is_object() || !body.contains("error") || !body["error"].contains("field")) return "";
  return body["error"]["field"];
}

std::string header(const HttpResult& r, const std::string& name) {
  const auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

/// POST /v1/uploads for `length` bytes; the upload's path ("/v1/uploads/<id>") or "" (the
/// result in `out`).
std::string create(ServeProcess& server, const std::string& token, std::int64_t length,
                   const std::string& metadata = "filename cGF0aC5qcGc=,filetype aW1hZ2UvanBlZw==",
                   HttpResult* out = nullptr) {
  std::vector<std::string> headers{TUS, "Upload-Length: " + std::to_string(length)};
  if (!metadata.empty()) headers.push_back("Upload-Metadata: " + metadata);
  HttpResult r = server.send("POST", "/v1/uploads", token, headers);
  if (out) *out = r;
  if (r.status != 201) return "";
  const std::string location = header(r, "location");
  const auto at = location.find("/v1/uploads/");
  return at == std::string::npos ? "" : location.substr(at);
}

HttpResult patch(ServeProcess& server, const std::string& path, const std::string& token,
                 std::int64_t offset, const std::string& bytes) {
  return server.send("PATCH", path, token,
                     {TUS, OCTETS, "Upload-Offset: " + std::to_string(offset)}, bytes);
}

HttpResult head(ServeProcess& server, const std::string& path, const std::string& token) {
  return server.send("HEAD", path, token, {TUS});
}

std::string id_of(const std::string& path) {
  return path.substr(path.rfind('/') + 1);
}

HttpResult job_of(ServeProcess& server, const std::string& token, const json& body,
                  const std::string& idempotency_key = "") {
  std::vector<std::string> headers{"Content-Type: application/json"};
  if (!idempotency_key.empty()) headers.push_back("Idempotency-Key: " + idempotency_key);
  return server.send("POST", "/v1/jobs", token, headers, body.dump());
}

/// Images the service has converted so far (every outcome), from its /metrics.
int converted(ServeProcess& server) {
  const std::string text = server.get("/metrics").body;
  const std::string name = "\nimagesprint_images_total{";
  int total = 0;
  for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
    const auto value = text.find("} ", at);
    if (value != std::string::npos) total += std::stoi(text.substr(value + 2));
  }
  return total;
}

/// Waits (at most a minute) until `done` holds.
bool eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 600 && !done(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

/// Waits (at most a minute) until no task waits or is leased.
bool idle_queue(ServeProcess& server) {
  return eventually([&] {
    const std::string text = server.get("/metrics").body;
    return text.find("\nimagesprint_queue_in_flight 0") != std::string::npos &&
           text.find("\nimagesprint_queue_waiting 0") != std::string::npos;
  });
}

/// POST /v1/jobs on its own thread: it answers only once the uploads it awaits are in.
class PendingJob {
 public:
  PendingJob(ServeProcess& server, const std::string& token, json body,
             std::string idempotency_key = "")
      : thread_([this, &server, token, body = std::move(body), key = std::move(idempotency_key)] {
          result_ = job_of(server, token, body, key);
          answered_ = true;
        }) {}
  ~PendingJob() {
    if (thread_.joinable()) thread_.join();
  }
  PendingJob(const PendingJob&) = delete;
  PendingJob& operator=(const PendingJob&) = delete;
  bool answered() const { return answered_; }
  HttpResult result() {
    if (thread_.joinable()) thread_.join();
    return result_;
  }

 private:
  HttpResult result_;
  std::atomic<bool> answered_{false};
  std::thread thread_;
};

TEST(Uploads, OptionsTellTheVersionTheExtensionsAndTheLargestUpload) {
  ServeProcess server({"--max-file-bytes", "3000000"});
  const auto r = server.send("OPTIONS", "/v1/uploads", "");  // public: no sign-in
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(header(r, "tus-resumable"), "1.0.0");
  EXPECT_EQ(header(r, "tus-version"), "1.0.0");
  EXPECT_EQ(header(r, "tus-extension"), "creation,termination,expiration");
  EXPECT_EQ(header(r, "tus-max-size"), "3000000");
}

TEST(Uploads, CreateHeadPatchInPiecesThenAJobOfTheUpload) {
  ServeProcess server;
  const std::string token = server.signup("alice@example.com");
  const std::string bytes = photo_bytes();
  const auto size = static_cast<std::int64_t>(bytes.size());

  HttpResult created;
  const std::string path =
      create(server, token, size, "filename 7IKs7KeEIDEuanBn,filetype aW1hZ2UvanBlZw==", &created);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(header(created, "tus-resumable"), "1.0.0");
  EXPECT_EQ(header(created, "location"), server.url(path));  // absolute
  EXPECT_TRUE(header(created, "upload-expires").ends_with(" GMT"))
      << header(created, "upload-expires");

  auto status = head(server, path, token);
  ASSERT_EQ(status.status, 200);
  EXPECT_EQ(header(status, "upload-offset"), "0");
  EXPECT_EQ(header(status, "upload-length"), std::to_string(size));
  EXPECT_EQ(header(status, "upload-metadata"),
            "filename 7IKs7KeEIDEuanBn,filetype aW1hZ2UvanBlZw==");
  EXPECT_EQ(header(status, "cache-control"), "no-store");
  EXPECT_EQ(header(status, "tus-resumable"), "1.0.0");

  // Three appends; each answers the new offset.
  const std::int64_t third = size / 3;
  auto first = patch(server, path, token, 0, bytes.substr(0, third));
  ASSERT_EQ(first.status, 204) << first.body;
  EXPECT_EQ(header(first, "upload-offset"), std::to_string(third));
  EXPECT_FALSE(header(first, "upload-expires").empty());
  EXPECT_EQ(header(head(server, path, token), "upload-offset"), std::to_string(third));

  // The protocol's refusals, none of which moves the offset.
  const auto stale = patch(server, path, token, 0, bytes.substr(0, 10));
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(field_of(stale), "Upload-Offset");
  const auto wrong_type = server.send(
      "PATCH", path, token,
      {TUS, "Content-Type: application/octet-stream", "Upload-Offset: " + std::to_string(third)},
      bytes.substr(third, 10));
  EXPECT_EQ(wrong_type.status, 415) << wrong_type.body;
  const auto no_version =
      server.send("PATCH", path, token, {OCTETS, "Upload-Offset: " + std::to_string(third)}, "x");
  EXPECT_EQ(no_version.status, 412) << no_version.body;
  EXPECT_EQ(header(no_version, "tus-version"), "1.0.0");
  const auto old_version =
      server.send("PATCH", path, token,
                  {"Tus-Resumable: 0.2.2", OCTETS, "Upload-Offset: " + std::to_string(third)}, "x");
  EXPECT_EQ(old_version.status, 412) << old_version.body;
  EXPECT_EQ(server.send("HEAD", path, token).status, 412);
  EXPECT_EQ(field_of(server.send("PATCH", path, token, {TUS, OCTETS}, "x")), "Upload-Offset");
  EXPECT_EQ(header(head(server, path, token), "upload-offset"), std::to_string(third));

  // Not finished: no job yet, and the upload stays usable.
  const auto early = job_of(server, token, {{"uploads", {id_of(path)}}});
  EXPECT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(field_of(early), "uploads");

  ASSERT_EQ(patch(server, path, token, third, bytes.substr(third, third)).status, 204);
  const auto last = patch(server, path, token, 2 * third, bytes.substr(2 * third));
  ASSERT_EQ(last.status, 204) << last.body;
  EXPECT_EQ(header(last, "upload-offset"), std::to_string(size));

  const auto job =
      job_of(server, token, {{"uploads", {id_of(path)}}, {"options", {{"width", 320}}}}, "key-1");
  ASSERT_EQ(job.status, 201) << job.body;
  const json made = json::parse(job.body);
  const std::string job_id = made["id"];
  EXPECT_EQ(header(job, "location"), server.url("/v1/jobs/" + job_id));
  const json finished = test::wait_finished(server, job_id, token);
  EXPECT_EQ(finished["status"], "done") << finished.dump();
  EXPECT_EQ(finished["images"][0]["source_name"], "사진 1.jpg");
  EXPECT_EQ(finished["images"][0]["output"]["width"], 320);
  // The job's input is the uploaded file, byte for byte.
  EXPECT_EQ(server.get("/v1/jobs/" + job_id + "/images/0/source", token).body, bytes);

  // A retry with the same key is the same job; another job cannot take the upload again.
  const auto retried = job_of(server, token, {{"uploads", {id_of(path)}}}, "key-1");
  EXPECT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(json::parse(retried.body)["id"], job_id);
  const auto again = job_of(server, token, {{"uploads", {id_of(path)}}});
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(field_of(again), "uploads");
  EXPECT_EQ(patch(server, path, token, size, "x").status, 413);  // past its length
}

TEST(Uploads, AJobOfUploadsTakesItsLogoFromAnUploadToo) {
  // Two photos and a logo, each a finished upload; the job names the logo's upload as its
  // watermark. The logo is stored before the photos are, so they convert as they are taken in.
  ServeProcess server;
  const std::string token = server.signup("logo@example.com");
  std::vector<std::string> ids;
  for (const std::string name :
       {"orientation/Landscape_1.jpg", "orientation/Landscape_2.jpg", "edge/with-alpha.png"}) {
    const std::string bytes = photo_bytes(name);
    const std::string path = create(server, token, static_cast<std::int64_t>(bytes.size()));
    ASSERT_FALSE(path.empty());
    ASSERT_EQ(patch(server, path, token, 0, bytes).status, 204);
    ids.push_back(id_of(path));
  }
  const json options = {
      {"format", "png"},
      {"watermark", {{"type", "image"}, {"position", "TOP_LEFT"}, {"opacity", 1}}}};
  const auto job =
      job_of(server, token,
             {{"uploads", {ids[0], ids[1]}}, {"watermark_upload", ids[2]}, {"options", options}});
  ASSERT_EQ(job.status, 201) << job.body;
  const std::string job_id = json::parse(job.body)["id"];
  const json finished = test::wait_finished(server, job_id, token);
  EXPECT_EQ(finished["status"], "done") << finished.dump();
  EXPECT_EQ(finished["total"], 2);
  // Without a logo such a job is refused, naming what is missing.
  const std::string bytes = photo_bytes("orientation/Landscape_3.jpg");
  const std::string path = create(server, token, static_cast<std::int64_t>(bytes.size()));
  ASSERT_EQ(patch(server, path, token, 0, bytes).status, 204);
  const auto bare = job_of(server, token, {{"uploads", {id_of(path)}}, {"options", options}});
  EXPECT_EQ(bare.status, 400) << bare.body;
  EXPECT_EQ(field_of(bare), "watermark_upload");
}

TEST(Uploads, APatchCutMidwayKeepsTheBytesThatArrived) {
  ServeProcess server;
  const std::string token = server.signup("alice@example.com");
  const std::string bytes = photo_bytes();
  const auto size = static_cast<std::int64_t>(bytes.size());
  const std::string path = create(server, token, size);
  ASSERT_FALSE(path.empty());

  // A raw connection announces the whole file, sends half of it and goes away.
  const std::int64_t half = size / 2;
  {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(server.port()));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    const std::string request = "PATCH " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                                "Authorization: Bearer " + token + "\r\n" + TUS + "\r\n" + OCTETS +
                                "\r\nUpload-Offset: 0\r\nContent-Length: " + std::to_string(size) +
                                "\r\n\r\n" + bytes.substr(0, half);
    std::size_t sent = 0;
    while (sent < request.size()) {
      const auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      ASSERT_GT(n, 0);
      sent += static_cast<std::size_t>(n);
    }
    ::close(fd);
  }
  // The server notices the broken connection on its own time: ask until the offset moves.
  std::string offset;
  for (int i = 0; i < 100 && offset != std::to_string(half); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    offset = header(head(server, path, token), "upload-offset");
  }
  ASSERT_EQ(offset, std::to_string(half));

  ASSERT_EQ(patch(server, path, token, half, bytes.substr(half)).status, 204);
  const auto job = job_of(server, token, {{"uploads", {id_of(path)}}});
  ASSERT_EQ(job.status, 201) << job.body;
  const std::string job_id = json::parse(job.body)["id"];
  EXPECT_EQ(test::wait_finished(server, job_id, token)["status"], "done");
  EXPECT_EQ(server.get("/v1/jobs/" + job_id + "/images/0/source", token).body, bytes);
}

TEST(Uploads, RefusalsNameTheFieldAndComeBeforeTheBytes) {
  ServeProcess server({"--max-file-bytes", "2000000", "--max-files", "3"});
  const std::string token = server.signup("alice@example.com");
  HttpResult r;
  EXPECT_TRUE(create(server, token, 2'000'001, "", &r).empty());
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_EQ(field_of(r), "Upload-Length");
  r = server.send("POST", "/v1/uploads", token, {TUS});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "Upload-Length");
  r = server.send("POST", "/v1/uploads", token, {TUS, "Upload-Length: 12abc"});
  EXPECT_EQ(field_of(r), "Upload-Length");
  r = server.send("POST", "/v1/uploads", token, {TUS, "Upload-Defer-Length: 1"});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "Upload-Defer-Length");
  create(server, token, 10, "filename not*base64", &r);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "Upload-Metadata");
  // The key is quoted in the message cut after a whole character, never inside one.
  create(server, token, 10, std::string(39, 'k') + "\xed\x95\x9c\xea\xb5\xad !!!", &r);  // kk..한국
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("k\xed\x95\x9c\\\"..."), std::string::npos) << r.body;
  r = server.send("POST", "/v1/uploads", token, {"Upload-Length: 10"});
  EXPECT_EQ(r.status, 412);
  r = server.send("POST", "/v1/uploads", "", {TUS, "Upload-Length: 10"});
  EXPECT_EQ(r.status, 401);

  // A PATCH that would go past the length: refused from its Content-Length, nothing kept.
  const std::string path = create(server, token, 100);
  ASSERT_FALSE(path.empty());
  r = patch(server, path, token, 0, std::string(101, 'x'));
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_EQ(field_of(r), "Upload-Length");
  EXPECT_EQ(header(head(server, path, token), "upload-offset"), "0");
  // Two Upload-Offset lines: which one the client meant is not for the server to guess.
  r = server.send("PATCH", path, token, {TUS, OCTETS, "Upload-Offset: 0", "Upload-Offset: 0"},
                  "xx");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(field_of(r), "Upload-Offset");
  EXPECT_EQ(header(head(server, path, token), "upload-offset"), "0");

  // Jobs of uploads: what the multipart path refuses, refused here too, naming "uploads".
  const std::string text = std::string(100, 't');
  ASSERT_EQ(patch(server, path, token, 0, text).status, 204);  // complete, but not an image
  r = job_of(server, token, {{"uploads", {id_of(path)}}});
  EXPECT_EQ(r.status, 415) << r.body;
  EXPECT_EQ(field_of(r), "uploads");
  EXPECT_EQ(header(head(server, path, token), "upload-offset"), "100");  // still there
  EXPECT_EQ(server.stored_objects(), 1);  // nothing of the refused job kept
  r = job_of(server, token, {{"uploads", {"no-such-upload"}}});
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(field_of(r), "uploads");
  r = job_of(server, token, {{"uploads", json::array()}});
  EXPECT_EQ(field_of(r), "uploads");
  r = job_of(server, token, {{"uploads", {"a", "b", "c", "d"}}});
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_EQ(field_of(r), "uploads");
  r = job_of(server, token, {{"uploads", {id_of(path), id_of(path)}}});
  EXPECT_EQ(field_of(r), "uploads");
  r = job_of(server, token, {{"uploads", {id_of(path)}}, {"colour", "red"}});
  EXPECT_EQ(field_of(r), "colour");
  r = job_of(server, token, {{"uploads", {id_of(path)}}, {"options", {{"quality", 150}}}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(field_of(r), "options.quality");

  // An image over the pixel limit, from its header.
  const std::string photo = photo_bytes();
  ServeProcess small({"--max-pixels", "1000000"});
  const std::string bob = small.signup("bob@example.com");
  const std::string big = create(small, bob, static_cast<std::int64_t>(photo.size()));
  ASSERT_EQ(patch(small, big, bob, 0, photo).status, 204);
  r = job_of(small, bob, {{"uploads", {id_of(big)}}});
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_EQ(field_of(r), "uploads");
}

// tus 1.0.0: Tus-Resumable on every response but OPTIONS. The server's own answers, before the
// handler runs (not signed in: 401; a body over the limit: 413), carried none.
TEST(Uploads, TextFromHeadersIsStoredAsUtf8OrRefusedNamingTheHeader) {
  // Header bytes that are not UTF-8 went into the records as they came; MariaDB (the
  // OnDistributed run) refused them, and the client heard that the storage was down (503).
  ServeProcess server;
  const std::string token = server.signup("alice@example.com");
  const std::string photo = photo_bytes("orientation/Landscape_1.jpg");
  // A file name that is not UTF-8 is kept with U+FFFD in place of its bad bytes, as a
  // multipart upload's is.
  const std::string path = create(server, token, static_cast<std::int64_t>(photo.size()),
                                  "filename //4uanBn,filetype aW1hZ2Uv/w==");  // \xff\xfe.jpg
  ASSERT_FALSE(path.empty());
  ASSERT_EQ(patch(server, path, token, 0, photo).status, 204);
  const auto job = job_of(server, token, {{"uploads", {id_of(path)}}});
  ASSERT_EQ(job.status, 201) << job.body;
  const json finished = test::wait_finished(server, json::parse(job.body)["id"], token);
  EXPECT_EQ(finished["images"][0]["source_name"], "\xef\xbf\xbd\xef\xbf\xbd.jpg");
  // A long one is cut to 255 characters, as a multipart upload's is.
  std::string long_name_base64;  // 1,500 x 'n' (past 1,024): each "nnn" is "bm5u"
  for (int i = 0; i < 500; ++i) long_name_base64 += "bm5u";
  const std::string third = create(server, token, static_cast<std::int64_t>(photo.size()),
                                   "filename " + long_name_base64);
  ASSERT_FALSE(third.empty());
  ASSERT_EQ(patch(server, third, token, 0, photo).status, 204);
  const auto long_job = job_of(server, token, {{"uploads", {id_of(third)}}});
  ASSERT_EQ(long_job.status, 201) << long_job.body;
  const json long_done = test::wait_finished(server, json::parse(long_job.body)["id"], token);
  EXPECT_EQ(long_done["images"][0]["source_name"], std::string(255, 'n'));
  // A metadata header that is not UTF-8 itself is refused.
  HttpResult r;
  create(server, token, 10, "\xff\xfe cGF0aC5qcGc=", &r);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(field_of(r), "Upload-Metadata");
  // So is an Idempotency-Key of anything but printable ASCII, before any job is made.
  const std::string second = create(server, token, static_cast<std::int64_t>(photo.size()));
  ASSERT_EQ(patch(server, second, token, 0, photo).status, 204);
  for (const std::string key : {"\xff\xfe-key", "\xed\x82\xa4-1"}) {
    const auto refused = job_of(server, token, {{"uploads", {id_of(second)}}}, key);
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_EQ(field_of(refused), "Idempotency-Key");
  }
  EXPECT_EQ(job_of(server, token, {{"uploads", {id_of(second)}}}, "retry #1").status, 201);
}

TEST(Uploads, EveryAnswerOfTheTusRoutesNamesTheProtocolVersion) {
  ServeProcess server;
  const std::string token = server.signup("tus-header@example.com");
  const std::string path = create(server, token, 10);
  ASSERT_FALSE(path.empty());
  const std::vector<HttpResult> answers{
      head(server, path, ""),  // 401, before the handler
      server.send("POST", "/v1/uploads", "", {TUS, "Upload-Length: 10"}),  // 401
      server.send("DELETE", path, "", {TUS}),                              // 401
      patch(server, path, token, 0, std::string(30 << 20, 'x')),           // 413, before the body
      head(server, path, token)};                                          // 200, the handler's own
  for (const HttpResult& r : answers) {
    EXPECT_EQ(header(r, "tus-resumable"), "1.0.0") << r.status << " " << r.body;
  }
  EXPECT_EQ(answers[0].status, 401);
  EXPECT_EQ(answers[3].status, 413);
}

TEST(Uploads, AnotherUsersUploadIsNotFound) {
  ServeProcess server;
  const std::string alice = server.signup("alice@example.com");
  const std::string bob = server.signup("bob@example.com");
  const std::string bytes = photo_bytes();
  const std::string path = create(server, alice, static_cast<std::int64_t>(bytes.size()));
  ASSERT_EQ(patch(server, path, alice, 0, bytes).status, 204);

  EXPECT_EQ(head(server, path, bob).status, 404);
  EXPECT_EQ(patch(server, path, bob, static_cast<std::int64_t>(bytes.size()), "x").status, 404);
  EXPECT_EQ(server.send("DELETE", path, bob, {TUS}).status, 404);
  const auto r = job_of(server, bob, {{"uploads", {id_of(path)}}});
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(field_of(r), "uploads");
  EXPECT_EQ(head(server, path, alice).status, 200);  // untouched
}

TEST(Uploads, TerminationDeletesTheUploadAndItsBytes) {
  ServeProcess server;
  const std::string token = server.signup("alice@example.com");
  const std::string path = create(server, token, 1000);
  ASSERT_EQ(patch(server, path, token, 0, std::string(400, 'a')).status, 204);
  EXPECT_EQ(server.stored_objects(), 1);
  EXPECT_EQ(server.send("DELETE", path, token, {}).status, 412);
  const auto r = server.send("DELETE", path, token, {TUS});
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(header(r, "tus-resumable"), "1.0.0");
  EXPECT_EQ(head(server, path, token).status, 404);
  EXPECT_EQ(patch(server, path, token, 400, "b").status, 404);
  EXPECT_EQ(server.send("DELETE", path, token, {TUS}).status, 404);
  EXPECT_EQ(server.stored_objects(), 0);
}

TEST(Uploads, AnUnfinishedUploadExpiresAndTheJanitorRemovesIt) {
  ServeProcess server({"--upload-ttl", "2", "--janitor-interval", "1"});
  const std::string token = server.signup("alice@example.com");
  const std::string path = create(server, token, 1000);
  ASSERT_EQ(patch(server, path, token, 0, std::string(400, 'a')).status, 204);
  EXPECT_EQ(server.stored_objects(), 1);
  // Gone: 410 until the janitor's sweep, 404 after it; its bytes deleted.
  long status = 0;
  for (int i = 0; i < 200 && status != 404; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = head(server, path, token).status;
    ASSERT_TRUE(status == 200 || status == 410 || status == 404) << status;
  }
  EXPECT_EQ(status, 404);
  EXPECT_EQ(server.stored_objects(), 0);
  const auto r = job_of(server, token, {{"uploads", {id_of(path)}}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(field_of(r), "uploads");
}

TEST(Uploads, AnExpiredUploadAnswersGoneBeforeTheSweep) {
  // The janitor sweeps rarely here, so the expired upload is still in the records.
  ServeProcess server({"--upload-ttl", "1", "--janitor-interval", "3600"});
  const std::string token = server.signup("alice@example.com");
  const std::string path = create(server, token, 1000);
  ASSERT_FALSE(path.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(head(server, path, token).status, 410);
  EXPECT_EQ(patch(server, path, token, 0, "a").status, 410);
}

TEST(Uploads, OpenUploadsCountAgainstTheUsersQuotas) {
  ServeProcess server({"--max-queued-images", "2", "--max-stored-bytes", "5000"});
  const std::string token = server.signup("alice@example.com");
  HttpResult r;
  EXPECT_TRUE(create(server, token, 6000, "", &r).empty());
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(field_of(r), "max_stored_bytes");
  const std::string first = create(server, token, 1000);
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(create(server, token, 1000).empty());
  EXPECT_TRUE(create(server, token, 1000, "", &r).empty());
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(field_of(r), "max_queued_images");
  // Deleting one frees its place.
  ASSERT_EQ(server.send("DELETE", first, token, {TUS}).status, 204);
  EXPECT_FALSE(create(server, token, 1000).empty());
}

TEST(Uploads, AJobAwaitingItsUploadsConvertsEachAsItArrives) {
  // Three uploads, only the first complete when the job is asked for: each image is converted
  // as soon as its upload is complete, while the next is still arriving, and the job is
  // answered once the last one is in.
  ServeProcess server;
  const std::string token = server.signup("await@example.com");
  std::vector<std::string> paths, bytes;
  for (const std::string name : {"orientation/Landscape_1.jpg", "orientation/Landscape_2.jpg",
                                 "orientation/Landscape_3.jpg"}) {
    bytes.push_back(photo_bytes(name));
    paths.push_back(create(server, token, static_cast<std::int64_t>(bytes.back().size())));
    ASSERT_FALSE(paths.back().empty());
  }
  ASSERT_EQ(patch(server, paths[0], token, 0, bytes[0]).status, 204);
  const std::string half = bytes[1].substr(0, bytes[1].size() / 2);
  ASSERT_EQ(patch(server, paths[1], token, 0, half).status, 204);

  PendingJob job(server, token,
                 {{"uploads", {id_of(paths[0]), id_of(paths[1]), id_of(paths[2])}},
                  {"options", {{"format", "png"}}},
                  {"await_uploads", true}});
  ASSERT_TRUE(eventually([&] { return converted(server) >= 1; }))
      << "the complete upload was not converted while the others were arriving";
  EXPECT_FALSE(job.answered());
  ASSERT_EQ(patch(server, paths[1], token, static_cast<std::int64_t>(half.size()),
                  bytes[1].substr(half.size()))
                .status,
            204);
  ASSERT_TRUE(eventually([&] { return converted(server) >= 2; }))
      << "the second upload was not converted once complete";
  EXPECT_FALSE(job.answered());
  ASSERT_EQ(patch(server, paths[2], token, 0, bytes[2]).status, 204);

  const HttpResult answer = job.result();
  ASSERT_EQ(answer.status, 201) << answer.body;
  const std::string job_id = json::parse(answer.body)["id"];
  const json finished = test::wait_finished(server, job_id, token);
  EXPECT_EQ(finished["status"], "done") << finished.dump();
  EXPECT_EQ(finished["done"], 3);
  // The job took the uploads: no second job can.
  const auto again = job_of(server, token, {{"uploads", {id_of(paths[0])}}});
  EXPECT_EQ(again.status, 409) << again.body;
}

TEST(Uploads, AJobAwaitingItsUploadsLeavesNothingWhenALaterOneIsBad) {
  // The photo converts while the second upload arrives; that one turns out not to be an image.
  // The client gets the same refusal as for a job of finished uploads, nothing of the job is
  // kept (records, inputs, outputs), and the uploads stay as they were.
  ServeProcess server;
  const std::string token = server.signup("await-bad@example.com");
  const std::string photo = photo_bytes("orientation/Landscape_1.jpg");
  const std::string text(4096, 'x');
  const std::string photo_path = create(server, token, static_cast<std::int64_t>(photo.size()));
  const std::string text_path = create(server, token, static_cast<std::int64_t>(text.size()));
  ASSERT_FALSE(photo_path.empty());
  ASSERT_FALSE(text_path.empty());
  ASSERT_EQ(patch(server, photo_path, token, 0, photo).status, 204);
  ASSERT_EQ(patch(server, text_path, token, 0, text.substr(0, 1000)).status, 204);

  PendingJob job(server, token,
                 {{"uploads", {id_of(photo_path), id_of(text_path)}},
                  {"options", {{"format", "png"}}},
                  {"await_uploads", true}});
  ASSERT_TRUE(eventually([&] { return converted(server) >= 1; }))
      << "the photo was not converted while the second upload was arriving";
  ASSERT_EQ(patch(server, text_path, token, 1000, text.substr(1000)).status, 204);
  const HttpResult answer = job.result();
  EXPECT_EQ(answer.status, 415) << answer.body;
  EXPECT_EQ(field_of(answer), "uploads");
  EXPECT_NE(answer.body.find("unsupported_format"), std::string::npos) << answer.body;

  ASSERT_TRUE(idle_queue(server));
  EXPECT_EQ(json::parse(server.get("/v1/jobs", token).body)["items"].size(), 0u);
  EXPECT_EQ(json::parse(server.get("/v1/notifications", token).body)["items"].size(), 0u);
  // The uploads are as they were: the photo complete, free for another job.
  EXPECT_EQ(header(head(server, photo_path, token), "upload-offset"), std::to_string(photo.size()));
  // Deleting the two uploads then leaves no object at all: nothing of the job (its inputs, the
  // photo's output) is stored.
  ASSERT_EQ(server.send("DELETE", photo_path, token, {TUS}).status, 204);
  ASSERT_EQ(server.send("DELETE", text_path, token, {TUS}).status, 204);
  EXPECT_EQ(server.stored_objects(), 0) << "objects of the refused job are still stored";
}

TEST(Uploads, AnAwaitedJobsRetryWithTheSameKeyAnswersTheFirstRequestsJob) {
  // A reloaded page posts the same job again (same Idempotency-Key) while the first request
  // still waits for an upload: once the upload is complete, both answer the one job.
  ServeProcess server;
  const std::string token = server.signup("await-retry@example.com");
  const std::string a = photo_bytes("orientation/Landscape_1.jpg");
  const std::string b = photo_bytes("orientation/Landscape_2.jpg");
  const std::string a_path = create(server, token, static_cast<std::int64_t>(a.size()));
  const std::string b_path = create(server, token, static_cast<std::int64_t>(b.size()));
  ASSERT_EQ(patch(server, a_path, token, 0, a).status, 204);
  const json body = {{"uploads", {id_of(a_path), id_of(b_path)}}, {"await_uploads", true}};
  PendingJob first(server, token, body, "reload-key");
  ASSERT_TRUE(eventually([&] { return converted(server) >= 1; }));
  PendingJob second(server, token, body, "reload-key");
  ASSERT_EQ(patch(server, b_path, token, 0, b).status, 204);
  const HttpResult one = first.result();
  const HttpResult two = second.result();
  ASSERT_EQ(one.status, 201) << one.body;
  ASSERT_EQ(two.status, 200) << two.body;
  EXPECT_EQ(json::parse(one.body)["id"], json::parse(two.body)["id"]);
  EXPECT_EQ(json::parse(server.get("/v1/jobs", token).body)["items"].size(), 1u);
}

TEST(Uploads, AwaitUploadsIsABooleanAndWithoutItAnUnfinishedUploadIsRefused) {
  ServeProcess server;
  const std::string token = server.signup("await-flag@example.com");
  const std::string path = create(server, token, 1000);
  ASSERT_EQ(patch(server, path, token, 0, std::string(10, 'a')).status, 204);
  auto r = job_of(server, token, {{"uploads", {id_of(path)}}, {"await_uploads", "yes"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(field_of(r), "await_uploads");
  r = job_of(server, token, {{"uploads", {id_of(path)}}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.body.find("unfinished"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace imagesprint
