// The embedded service end to end: a real `imagesprint serve` process on a free loopback port with
// a temporary data folder, a real HTTP client, the real corpus.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <chrono>
#include <clocale>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "job_checks.hpp"
#include "raw_connection.hpp"
#include "serve_process.hpp"
#include "support/corpus.hpp"

namespace imagesprint {
namespace {

using nlohmann::json;
using test::corpus_file;
using test::FilePart;
using test::multipart;
using test::port_of;
using test::post_head;
using test::RawConnection;
using test::ServeProcess;
using test::wait_finished;
using test::zip_entries;

std::vector<FilePart> ten_photos() {
  std::vector<FilePart> files;
  for (const std::string name :
       {"photos/flickr-2569067123-2725x2225.jpg", "photos/colorfulcups-2560x1600.jpg",
        "photos/eveningglow-2560x1600.jpg", "photos/fallenleaf-2560x1600.jpg",
        "photos/path-2560x1600.jpg", "orientation/Landscape_5.jpg", "orientation/Portrait_6.jpg",
        "edge/with-alpha.png", "edge/4.webp", "edge/animated-loop-3.gif"}) {
    files.push_back(corpus_file(name));
  }
  return files;
}

TEST(Serve, JobWithABrokenImageEndsPartialAndStaysPrivate) {
  ServeProcess server;
  const std::string alice = server.signup("alice@example.com");
  const std::string bob = server.signup("bob@example.com");
  auto files = ten_photos();
  files.push_back(corpus_file("edge/truncated.jpg"));
  const auto created = server.post_multipart(
      "/v1/jobs", files, {{"options", R"({"width": 640, "format": "webp"})"}}, alice);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string job = json::parse(created.body)["id"];

  // The job's event stream shows progress to the end.
  const std::string events =
      server.read_events("/v1/jobs/" + job + "/events", alice, "event: job.completed", 60);
  EXPECT_NE(events.find("event: snapshot"), std::string::npos);
  EXPECT_NE(events.find("event: job.completed"), std::string::npos) << events;
  EXPECT_NE(events.find("retry:"), std::string::npos);

  const json body = wait_finished(server, job, alice);
  EXPECT_EQ(body["status"], "partial");
  EXPECT_EQ(body["done"], 10);
  EXPECT_EQ(body["failed"], 1);
  EXPECT_EQ(body["images"][10]["status"], "failed");
  // The reason in words (the request's language) and the engine's own as the detail.
  EXPECT_EQ(body["images"][10]["error"]["code"], "corrupt_image");
  EXPECT_NE(body["images"][10]["error"]["detail"].get<std::string>().find("truncated"),
            std::string::npos)
      << body["images"][10].dump();

  // The objects are where the settings put them (11 inputs, 10 outputs, the ZIP), and nothing
  // is on the local disk that belongs elsewhere.
  EXPECT_GE(server.stored_objects(), 22);
  if (ServeProcess::on("s3")) {
    EXPECT_FALSE(std::filesystem::exists(server.data() / "objects") &&
                 !std::filesystem::is_empty(server.data() / "objects"));
  }
  if (ServeProcess::on("mariadb")) {
    EXPECT_FALSE(std::filesystem::exists(server.data() / "imagesprint.db"));
  }
  // On Redis, the tasks went through its streams and the events through its user streams.
  if (const auto info = server.redis({"XINFO", "STREAM", "{P}:queue}:stream:convert"})) {
    const auto added = info->find("entries-added\n");
    ASSERT_NE(added, std::string::npos) << "no convert stream in Redis: " << *info;
    EXPECT_GE(std::stoi(info->substr(added + 14)), 11) << "an entry per image at least";
    const auto live = server.redis({"XLEN", "{P}:events}:user:1"});
    EXPECT_GE(std::stoi(*live), 11) << *live;  // a progress event per image at least
  }

  auto zip = server.get("/v1/jobs/" + job + "/archive", alice);
  ASSERT_EQ(zip.status, 200);
  EXPECT_EQ(zip.headers["content-type"], "application/zip");
  EXPECT_NE(zip.headers["content-disposition"].find("attachment"), std::string::npos);
  const auto entries = zip_entries(zip.body);
  EXPECT_EQ(entries.size(), 11u);  // ten outputs and the manifest
  EXPECT_TRUE(entries.contains("manifest.json"));
  EXPECT_TRUE(entries.contains("flickr-2569067123-2725x2225.webp"));
  EXPECT_TRUE(entries.contains("animated-loop-3.webp"));
  EXPECT_FALSE(entries.contains("truncated.webp"));

  auto image = server.get("/v1/jobs/" + job + "/images/0", alice, {"Range: bytes=0-99"});
  EXPECT_EQ(image.status, 206);
  EXPECT_EQ(image.body.size(), 100u);
  EXPECT_EQ(image.headers["content-type"], "image/webp");
  for (const std::string other : {"00", "+0", "0x0", "-0"}) {  // one image, one URL
    EXPECT_EQ(server.get("/v1/jobs/" + job + "/images/" + other, alice).status, 404) << other;
  }

  // The job page's "before" and "after": the upload as received, and engine-rendered WebP
  // thumbnails of both (a broken upload has none: the engine's reason, not a broken picture).
  auto original = server.get("/v1/jobs/" + job + "/images/0/source", alice);
  EXPECT_EQ(original.status, 200);
  EXPECT_EQ(original.headers["content-type"], "image/jpeg");
  EXPECT_TRUE(original.body == files[0].bytes);
  for (const std::string path : {"/images/0/source?size=256", "/images/0?size=256"}) {
    auto thumb = server.get("/v1/jobs/" + job + path, alice);
    EXPECT_EQ(thumb.status, 200) << path << thumb.body;
    EXPECT_EQ(thumb.headers["content-type"], "image/webp") << path;
    EXPECT_EQ(thumb.body.substr(8, 4), "WEBP") << path;
    EXPECT_LT(thumb.body.size(), original.body.size() / 10) << path;
  }
  const auto bad_size = server.get("/v1/jobs/" + job + "/images/0?size=300", alice);
  EXPECT_EQ(bad_size.status, 400);
  EXPECT_EQ(json::parse(bad_size.body)["error"]["field"], "size");
  EXPECT_EQ(server.get("/v1/jobs/" + job + "/images/10/source?size=256", alice).status, 422);
  EXPECT_EQ(server.get("/v1/jobs/" + job + "/images/10/source", alice).status, 200);

  // Bob cannot see any of it: not found, not forbidden.
  for (const std::string path :
       {"", "/archive", "/images/0", "/images/0/source", "/images/0/source?size=256", "/events"}) {
    EXPECT_EQ(server.get("/v1/jobs/" + job + path, bob).status, 404) << path;
  }
  EXPECT_EQ(json::parse(server.get("/v1/jobs", bob).body)["items"].size(), 0u);
  EXPECT_EQ(server.get("/v1/jobs/" + job).status, 401);

  // Notifications: started and partial.
  const json notes = json::parse(server.get("/v1/notifications", alice).body);
  ASSERT_GE(notes["items"].size(), 2u);
  EXPECT_EQ(notes["items"][0]["type"], "JOB_PARTIAL");
  EXPECT_EQ(notes["unread"], 2);
  // One marked read: by its own id only, and only by its owner.
  const std::string newest = std::to_string(notes["items"][0]["id"].get<std::int64_t>());
  for (const auto& id : {newest + "x", "+" + newest, newest + ".0", "0x" + newest}) {
    EXPECT_EQ(server.post_json("/v1/notifications/" + id + "/read", "{}", alice).status, 404) << id;
  }
  EXPECT_EQ(server.post_json("/v1/notifications/" + newest + "/read", "{}", bob).status, 404);
  EXPECT_EQ(json::parse(server.get("/v1/notifications", alice).body)["unread"], 2);
  EXPECT_EQ(server.post_json("/v1/notifications/" + newest + "/read", "{}", alice).status, 204);
  EXPECT_EQ(json::parse(server.get("/v1/notifications", alice).body)["unread"], 1);
  EXPECT_EQ(server.post_json("/v1/notifications/read-all", "{}", alice).status, 200);
  EXPECT_EQ(json::parse(server.get("/v1/notifications?unread=true", alice).body)["items"].size(),
            0u);
  const auto bad_filter = server.get("/v1/notifications?unread=maybe", alice);
  EXPECT_EQ(bad_filter.status, 400);
  EXPECT_EQ(json::parse(bad_filter.body)["error"]["field"], "unread");

  // Retry re-queues only the failed image (which fails again).
  const auto retry = server.post_json("/v1/jobs/" + job + "/retry", "{}", alice);
  EXPECT_EQ(retry.status, 202) << retry.body;
  const json again = wait_finished(server, job, alice);
  EXPECT_EQ(again["status"], "partial");
  EXPECT_EQ(again["done"], 10);
}

TEST(Serve, BadRequestsGetTheRight4xxAndKeepNothing) {
  ServeProcess server({"--max-files", "50"});
  const std::string token = server.signup("carol@example.com");
  const FilePart photo = corpus_file("orientation/Landscape_1.jpg");

  const auto too_many =
      server.post_multipart("/v1/jobs", std::vector<FilePart>(51, photo), {}, token);
  EXPECT_EQ(too_many.status, 413) << too_many.body;
  EXPECT_EQ(json::parse(too_many.body)["error"]["field"], "files");

  FilePart big{"files", "big.jpg", std::string(21 * 1024 * 1024, '\0')};
  big.bytes.replace(0, 3, "\xFF\xD8\xFF");
  const auto too_large = server.post_multipart("/v1/jobs", {big}, {}, token);
  EXPECT_EQ(too_large.status, 413) << too_large.body;
  EXPECT_NE(json::parse(too_large.body)["error"]["message"].get<std::string>().find("big.jpg"),
            std::string::npos);

  const auto svg =
      server.post_multipart("/v1/jobs", {photo, corpus_file("edge/check.svg")}, {}, token);
  EXPECT_EQ(svg.status, 415) << svg.body;
  EXPECT_NE(json::parse(svg.body)["error"]["message"].get<std::string>().find("check.svg"),
            std::string::npos);

  const auto bad_option =
      server.post_multipart("/v1/jobs", {photo}, {{"options", R"({"width": -1})"}}, token);
  EXPECT_EQ(json::parse(bad_option.body)["error"]["field"], "width");
  EXPECT_GE(bad_option.status, 400);
  EXPECT_LT(bad_option.status, 500);

  const auto giant =
      server.post_multipart("/v1/jobs", {corpus_file("edge/giant-image.jpg")}, {}, token);
  EXPECT_EQ(giant.status, 413) << giant.body;  // over the pixel limit, from its header
  EXPECT_EQ(json::parse(giant.body)["error"]["code"], "too_many_pixels");

  const auto no_files = server.post_multipart("/v1/jobs", {}, {{"options", "{}"}}, token);
  EXPECT_EQ(no_files.status, 400) << no_files.body;

  EXPECT_EQ(json::parse(server.get("/v1/jobs", token).body)["items"].size(), 0u);
  // Nothing of the refused uploads is kept.
  EXPECT_EQ(server.stored_objects(), 0);

  const auto bad_login =
      server.post_json("/v1/auth/login", R"({"email":"carol@example.com","password":"wrong"})");
  EXPECT_EQ(bad_login.status, 401);
  EXPECT_TRUE(json::parse(bad_login.body)["error"].contains("code"));
}

TEST(Serve, AnApiKeyIsDeletedByItsOwnerAndItsOwnIdOnly) {
  ServeProcess server;
  const std::string alice = server.signup("keys-alice@example.com");
  const std::string bob = server.signup("keys-bob@example.com");
  const auto created = server.post_json("/v1/api-keys", R"({"name":"a program"})", alice);
  ASSERT_EQ(created.status, 201) << created.body;
  const json key = json::parse(created.body);
  const std::string id = std::to_string(key["id"].get<std::int64_t>());
  const std::string secret = key["key"];
  EXPECT_EQ(server.get("/v1/jobs", secret).status, 200);

  EXPECT_EQ(server.del("/v1/api-keys/" + id, bob).status, 404);
  for (const auto& wrong : {id + "x", "+" + id, id + ".0", "0x" + id, "0" + id}) {
    EXPECT_EQ(server.del("/v1/api-keys/" + wrong, alice).status, 404) << wrong;
  }
  EXPECT_EQ(server.get("/v1/jobs", secret).status, 200) << "a refused delete removed the key";
  EXPECT_EQ(server.del("/v1/api-keys/" + id, alice).status, 204);
  EXPECT_EQ(server.get("/v1/jobs", secret).status, 401);
}

TEST(Serve, IdempotentPostReturnsTheSameJob) {
  ServeProcess server;
  const std::string token = server.signup("dave@example.com");
  const FilePart photo = corpus_file("orientation/Landscape_1.jpg");
  const auto first =
      server.post_multipart("/v1/jobs", {photo}, {}, token, {"Idempotency-Key: abc-123"});
  const auto second =
      server.post_multipart("/v1/jobs", {photo}, {}, token, {"Idempotency-Key: abc-123"});
  ASSERT_EQ(first.status, 201);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(json::parse(first.body)["id"], json::parse(second.body)["id"]);
  // The key with a different request: 422 naming the header, and nothing of it kept.
  const auto other = server.post_multipart("/v1/jobs", {corpus_file("orientation/Landscape_2.jpg")},
                                           {{"options", R"({"format":"png"})"}}, token,
                                           {"Idempotency-Key: abc-123"});
  EXPECT_EQ(other.status, 422) << other.body;
  EXPECT_EQ(json::parse(other.body)["error"]["code"], "idempotency_key_reused");
  EXPECT_EQ(json::parse(other.body)["error"]["field"], "Idempotency-Key");
  EXPECT_EQ(json::parse(server.get("/v1/jobs", token).body)["items"].size(), 1u);
}

TEST(Serve, CancelKeepsWhatIsDoneAndZipsIt) {
  // One worker and slow AVIF outputs: the cancel comes while most images still wait.
  ServeProcess server({"--workers", "1"});
  const std::string token = server.signup("erin@example.com");
  const auto created = server.post_multipart(
      "/v1/jobs", ten_photos(), {{"options", R"({"format":"avif","width":1600})"}}, token);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = json::parse(created.body)["id"];
  // Location is absolute.
  EXPECT_EQ(created.headers.at("location").rfind("http://127.0.0.1:", 0), 0u)
      << created.headers.at("location");
  const auto canceled = server.post_json("/v1/jobs/" + id + "/cancel", "{}", token);
  ASSERT_EQ(canceled.status, 202) << canceled.body;
  EXPECT_EQ(json::parse(canceled.body)["status"], "canceled");
  // Another user cannot cancel it; a finished job cannot be canceled again.
  const std::string other = server.signup("frank@example.com");
  EXPECT_EQ(server.post_json("/v1/jobs/" + id + "/cancel", "{}", other).status, 404);
  EXPECT_EQ(server.post_json("/v1/jobs/" + id + "/cancel", "{}", token).status, 409);

  // The finalize sets the expiry and zips what was converted.
  json job;
  for (int i = 0; i < 600; ++i) {
    job = json::parse(server.get("/v1/jobs/" + id, token).body);
    if (!job["expires_at"].is_null()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(job["expires_at"].is_null()) << job.dump();
  EXPECT_EQ(job["status"], "canceled");
  const int done = job["done"];
  EXPECT_LT(done, 10);
  if (done > 0) {
    const auto zip = server.get("/v1/jobs/" + id + "/archive", token);
    ASSERT_EQ(zip.status, 200);
    EXPECT_EQ(zip_entries(zip.body).size(), static_cast<std::size_t>(done) + 1)
        << "manifest + done";
  }
}

TEST(Serve, SigkillMidJobThenRestartFinishesExactlyOnce) {
  // One worker and full-size PNG outputs keep the job busy long enough to be killed mid-way.
  ServeProcess first({"--queue-lease", "5", "--workers", "1"});
  const std::string token = first.signup("erin@example.com");
  const auto created =
      first.post_multipart("/v1/jobs", ten_photos(), {{"options", R"({"format": "png"})"}}, token);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string job = json::parse(created.body)["id"];
  first.read_events("/v1/jobs/" + job + "/events", token, "event: progress", 60);
  const auto data = first.data();
  first.kill_hard();

  ServeProcess second({"--queue-lease", "5"}, data);
  const json body = wait_finished(second, job, token, 120);
  EXPECT_EQ(body["status"], "done") << body.dump();
  EXPECT_EQ(body["done"], 10);
  EXPECT_EQ(body["failed"], 0);
  const auto entries = zip_entries(second.get("/v1/jobs/" + job + "/archive", token).body);
  EXPECT_EQ(entries.size(), 11u);
  std::set<std::string> outputs;
  for (const auto& [name, size] : entries) outputs.insert(name);
  EXPECT_EQ(outputs.size(), 11u);
  EXPECT_EQ(second.stop_gracefully(), 0);
  std::filesystem::remove_all(data);
}

constexpr const char* BOUNDARY = "imagesprint-test-boundary-7d1f";

/// Where part `n` (0-based) of a multipart body made by multipart() begins: just after its
/// boundary line, so that a server given the body up to there has seen every part before it end.
std::size_t part_start(const std::string& body, int n) {
  const std::string line = std::string("--") + BOUNDARY + "\r\n";
  std::size_t at = 0;
  for (int i = 0; i <= n; ++i) at = body.find(line, i == 0 ? 0 : at + 1);
  return at + line.size();
}

/// Opens a loopback connection to `server` and sends the head of a multipart POST /v1/jobs whose
/// body is `body`, and the body's first `sent` bytes.
std::unique_ptr<RawConnection> begin_upload(ServeProcess& server, const std::string& token,
                                            const std::string& body, std::size_t sent) {
  auto connection = std::make_unique<RawConnection>(port_of(server));
  if (!connection->connected()) throw std::runtime_error("cannot connect to the server");
  connection->send(post_head(port_of(server), "/v1/jobs", token,
                             std::string("multipart/form-data; boundary=") + BOUNDARY,
                             body.size()) +
                   body.substr(0, sent));
  return connection;
}

/// Waits (at most a minute) until `server` stores at least `objects` objects.
bool wait_for_objects(const ServeProcess& server, int objects) {
  for (int i = 0; i < 600 && server.stored_objects() < objects; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return server.stored_objects() >= objects;
}

/// A value of the service's own /metrics.
double metric(ServeProcess& server, const std::string& name) {
  const std::string text = server.get("/metrics").body;
  const auto at = text.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stod(text.substr(at + name.size() + 2));
}

/// Waits (at most two minutes) until no task waits or is leased.
bool wait_for_idle_queue(ServeProcess& server) {
  for (int i = 0; i < 1200; ++i) {
    if (metric(server, "imagesprint_queue_waiting") == 0 &&
        metric(server, "imagesprint_queue_in_flight") == 0)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST(Serve, FilesConvertWhileTheRestOfTheUploadArrives) {
  // The options come first, so each file is queued as soon as it is stored and checked: its
  // output is written while the request's body is still arriving.
  ServeProcess server;
  const std::string token = server.signup("early@example.com");
  const std::vector<FilePart> files{corpus_file("orientation/Landscape_1.jpg"),
                                    corpus_file("orientation/Landscape_2.jpg"),
                                    corpus_file("orientation/Portrait_6.jpg")};
  const std::string body =
      multipart(BOUNDARY, {{"options", R"({"width": 320, "format": "webp"})"}}, files);
  const std::size_t sent = part_start(body, 3);  // the options and two files
  auto connection = begin_upload(server, token, body, sent);
  ASSERT_TRUE(wait_for_objects(server, 3)) << "nothing was converted before the upload ended";
  // Until its upload ends the job is the service's, not yet its owner's.
  EXPECT_EQ(json::parse(server.get("/v1/jobs", token).body)["items"].size(), 0u);

  ASSERT_TRUE(connection->send(body.substr(sent)));
  const std::string response = connection->read(60, "}");
  ASSERT_EQ(response.rfind("HTTP/1.1 201", 0), 0u) << response;
  const auto jobs = json::parse(server.get("/v1/jobs", token).body)["items"];
  ASSERT_EQ(jobs.size(), 1u);
  const std::string id = jobs[0]["id"];
  const json job = wait_finished(server, id, token);
  EXPECT_EQ(job["status"], "done") << job.dump();
  EXPECT_EQ(job["done"], 3);
  EXPECT_EQ(job["total"], 3);
  const auto entries = zip_entries(server.get("/v1/jobs/" + id + "/archive", token).body);
  EXPECT_EQ(entries.size(), 4u);  // three outputs and the manifest
  EXPECT_TRUE(entries.contains("Portrait_6.webp"));
  // Told once that it started, with the whole upload's count.
  const auto notices = json::parse(server.get("/v1/notifications", token).body)["items"];
  int started = 0;
  for (const auto& n : notices) started += n["type"] == "JOB_STARTED";
  EXPECT_EQ(started, 1);
}

TEST(Serve, AnUploadFailingAfterItsFilesBeganConvertingLeavesNothingBehind) {
  // Two good files convert while the upload goes on; the third is not an image. The client gets
  // the same 415 as without early conversion, and once the workers are idle no record or
  // object of the job is left: inputs, outputs written before the failure, and outputs of
  // conversions that were still running when it came.
  ServeProcess server;
  const std::string token = server.signup("late-failure@example.com");
  const std::vector<FilePart> first{corpus_file("photos/path-2560x1600.jpg"),
                                    corpus_file("orientation/Landscape_1.jpg")};
  std::vector<FilePart> files = first;
  files.push_back(FilePart{"files", "notes.jpg", std::string(4096, 'x')});
  const std::string body = multipart(BOUNDARY, {{"options", R"({"format": "png"})"}}, files);
  const std::size_t sent = part_start(body, 3);  // the options and the two good files
  auto connection = begin_upload(server, token, body, sent);
  ASSERT_TRUE(wait_for_objects(server, 3)) << "nothing was converted before the upload ended";

  connection->send(body.substr(sent));
  const std::string response = connection->read(60, "}");
  EXPECT_EQ(response.rfind("HTTP/1.1 415", 0), 0u) << response;
  const auto at = response.find("\r\n\r\n");
  ASSERT_NE(at, std::string::npos) << response;
  const json error = json::parse(response.substr(at + 4), nullptr, false)["error"];
  EXPECT_EQ(error["field"], "files") << response;
  EXPECT_NE(error["message"].get<std::string>().find("notes.jpg"), std::string::npos);

  ASSERT_TRUE(wait_for_idle_queue(server));
  EXPECT_EQ(server.stored_objects(), 0) << "objects of the failed upload are still stored";
  EXPECT_EQ(json::parse(server.get("/v1/jobs", token).body)["items"].size(), 0u);
  EXPECT_EQ(json::parse(server.get("/v1/notifications", token).body)["items"].size(), 0u);
  EXPECT_EQ(metric(server, "imagesprint_jobs_unfinished"), 0);
  // Its quota is free again: the same files as a job of their own are accepted.
  const auto again = server.post_multipart("/v1/jobs", first, {{"options", "{}"}}, token);
  EXPECT_EQ(again.status, 201) << again.body;
}

TEST(Serve, AnUploadCutByACrashLeavesNoObjectBehind) {
  // The process dies mid-upload: the objects it stored belong to no job. The next janitor pass
  // after the upload counts as abandoned (1 s here) removes them. (The first process sweeps
  // every second too: on Redis it holds the janitor's lease, three sweeps long, when it dies.)
  ServeProcess first({"--janitor-interval", "1"});
  const std::string token = first.signup("crash-upload@example.com");
  ASSERT_EQ(first.stored_objects(), 0);
  const std::vector<FilePart> files{corpus_file("photos/path-2560x1600.jpg"),
                                    corpus_file("photos/colorfulcups-2560x1600.jpg"),
                                    corpus_file("photos/eveningglow-2560x1600.jpg"),
                                    corpus_file("photos/fallenleaf-2560x1600.jpg")};
  const std::string body = multipart(BOUNDARY, {{"options", R"({"format": "png"})"}}, files);
  auto connection = begin_upload(first, token, body, body.size() / 2);
  ASSERT_TRUE(wait_for_objects(first, 1)) << "the server stored nothing of the upload";
  const auto data = first.data();
  first.kill_hard();
  connection.reset();

  ServeProcess second({"--abandoned-upload-after", "1", "--janitor-interval", "1"}, data);
  EXPECT_EQ(json::parse(second.get("/v1/jobs", token).body)["items"].size(), 0u);
  for (int i = 0; i < 600 && second.stored_objects() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(second.stored_objects(), 0) << "objects of the dead upload are still stored";
  EXPECT_EQ(second.stop_gracefully(), 0);
  std::filesystem::remove_all(data);
}

TEST(Serve, ResultsExpireAndTheUserIsTold) {
  ServeProcess server({"--result-ttl", "1", "--janitor-interval", "1"});
  const std::string token = server.signup("frank@example.com");
  const auto created =
      server.post_multipart("/v1/jobs", {corpus_file("orientation/Landscape_1.jpg")}, {}, token);
  const std::string job = json::parse(created.body)["id"];
  wait_finished(server, job, token);
  EXPECT_EQ(test::wait_status(server, job, token, "expired")["status"], "expired");
  EXPECT_EQ(server.get("/v1/jobs/" + job + "/archive", token).status, 410);
  EXPECT_EQ(test::wait_notifications(server, token, "RESULT_EXPIRED").size(), 1u);
  // The newest notification, the first one the user sees.
  const json newest = json::parse(server.get("/v1/notifications", token).body)["items"][0];
  EXPECT_EQ(newest["type"], "RESULT_EXPIRED");
}

TEST(Serve, SystemEndpointsAndGracefulStop) {
  ServeProcess server;
  EXPECT_EQ(server.get("/healthz").status, 200);
  EXPECT_EQ(server.get("/readyz").status, 200);
  const auto metrics = server.get("/metrics");
  EXPECT_NE(metrics.body.find("imagesprint_queue_waiting"), std::string::npos);
  const json doc = json::parse(server.get("/openapi.json").body);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  const auto missing = server.get("/v1/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(json::parse(missing.body)["error"].contains("code"));
  EXPECT_EQ(server.stop_gracefully(), 0);
}

}  // namespace
}  // namespace imagesprint
