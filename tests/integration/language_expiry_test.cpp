// Issue 15, points 6-8, end to end on the real service (and, as part of integration_serve, on
// Redis and on MariaDB + Redis + S3 too): messages in the request's language, notifications in
// the reader's, the "results expire soon" notice sent once, converting an expired job again from
// its kept uploads, and GET /v1/limits.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "job_checks.hpp"
#include "serve_process.hpp"

namespace imagesprint {
namespace {

using nlohmann::json;
using test::corpus_file;
using test::notifications_of;
using test::ServeProcess;
using test::wait_finished;
using test::wait_notifications;
using test::wait_status;

json error_of(const test::HttpResult& r) {
  return json::parse(r.body)["error"];
}

TEST(ServeLanguage, ErrorsAnswerInTheRequestsLanguage) {
  ServeProcess server;
  const std::string token = server.signup("lang@example.com");
  const auto in = [&](const std::string& header) {
    return error_of(server.get("/v1/jobs/no-such-job", token, {"Accept-Language: " + header}));
  };
  EXPECT_EQ(error_of(server.get("/v1/jobs/no-such-job", token))["message"], "no such job");
  for (const std::string korean : {"ko", "ko-KR,en;q=0.5", "en;q=0.2, ko;q=0.9", "KO-kr"}) {
    const json e = in(korean);
    EXPECT_EQ(e["code"], "not_found") << korean;
    EXPECT_EQ(e["message"], "찾을 수 없습니다") << korean;
  }
  for (const std::string english : {"fr", "fr-CA, de;q=0.5", "ko;q=0, en", ";;q=zz,,,=*", "en"}) {
    const json e = in(english);
    EXPECT_EQ(e["code"], "not_found") << english;
    EXPECT_EQ(e["message"], "no such job") << english;
  }
  // Before a handler runs (the router's admission) and with a field named.
  const auto unsigned_in = server.get("/v1/jobs", "", {"Accept-Language: ko"});
  EXPECT_EQ(unsigned_in.status, 401);
  EXPECT_EQ(error_of(unsigned_in)["message"], "먼저 로그인하세요");
  const auto bad_limit = error_of(server.get("/v1/jobs?limit=0", token, {"Accept-Language: ko"}));
  EXPECT_EQ(bad_limit["field"], "limit");
  EXPECT_EQ(bad_limit["message"], "limit: 요청이 올바르지 않습니다");
}

TEST(ServeLanguage, LimitsSayTheirNumbersInEachLanguage) {
  ServeProcess server;
  const std::string token = server.signup("limit-lang@example.com");
  // A logo over its 5 MiB limit: refused while it streams, naming the part and the limit.
  // (A real PNG's bytes first: the type is checked from the first bytes, before the size.)
  test::FilePart logo = corpus_file("edge/with-alpha.png");
  logo.field = "watermark_image";
  logo.bytes += std::string(6 * 1024 * 1024, '\0');
  const auto ko = server.post_multipart("/v1/jobs", {logo}, {}, token, {"Accept-Language: ko"});
  EXPECT_EQ(ko.status, 413);
  json e = error_of(ko);
  EXPECT_EQ(e["code"], "too_large");
  EXPECT_EQ(e["field"], "watermark_image");
  EXPECT_EQ(e["params"], (json{{"name", "watermark_image"}, {"max", 5 * 1024 * 1024}}));
  EXPECT_EQ(e["message"], "\"watermark_image\": 5 MiB 한도보다 큽니다");
  const auto en = server.post_multipart("/v1/jobs", {logo}, {}, token, {"Accept-Language: en"});
  e = error_of(en);
  EXPECT_EQ(e["message"], "\"watermark_image\": larger than the limit of 5 MiB");
  EXPECT_EQ(e["params"]["max"], 5 * 1024 * 1024);
}

TEST(ServeLanguage, ImageFailuresAndNotificationsInTheReadersLanguage) {
  ServeProcess server;
  const std::string token = server.signup("reader@example.com");
  const auto created = server.post_multipart(
      "/v1/jobs", {corpus_file("orientation/Landscape_1.jpg"), corpus_file("edge/truncated.jpg")},
      {{"name", "여행"}}, token);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string job = json::parse(created.body)["id"];
  ASSERT_EQ(wait_finished(server, job, token)["status"], "partial");

  const auto image_error = [&](const std::string& language) {
    const json body =
        json::parse(server.get("/v1/jobs/" + job, token, {"Accept-Language: " + language}).body);
    return body["images"][1]["error"];
  };
  const json ko = image_error("ko-KR");
  const json en = image_error("en-US");
  EXPECT_EQ(ko["code"], "corrupt_image");
  EXPECT_EQ(ko["message"], "이미지 데이터가 손상되었거나 잘렸습니다");
  EXPECT_EQ(en["message"], "The image data is damaged or truncated");
  // The engine's own words stay, in English, as the detail, whatever the language.
  EXPECT_FALSE(en["detail"].get<std::string>().empty());
  EXPECT_EQ(ko["detail"], en["detail"]);

  const auto partial_ko = notifications_of(server, token, "JOB_PARTIAL", "ko");
  const auto partial_en = notifications_of(server, token, "JOB_PARTIAL", "fr");
  ASSERT_EQ(partial_ko.size(), 1u);
  ASSERT_EQ(partial_en.size(), 1u);
  EXPECT_EQ(partial_ko[0]["message"], "작업 \"여행\" 종료: 이미지 2장 중 1장 실패");
  EXPECT_EQ(partial_en[0]["message"], "Job \"여행\" finished with 1 of 2 images failed");
  EXPECT_EQ(partial_ko[0]["params"],
            (json{{"name", "여행"}, {"done", 1}, {"failed", 1}, {"total", 2}}));
  EXPECT_EQ(partial_ko[0]["id"], partial_en[0]["id"]) << "one notification, two readings";
  const auto started = notifications_of(server, token, "JOB_STARTED", "ko");
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0]["message"], "작업 \"여행\" 시작: 이미지 2장");
}

TEST(ServeExpiry, NoticeOnceBeforeExpiryThenConvertAgainFromTheKeptUploads) {
  // Results kept 6 s and swept every second: the job is inside the one-hour notice window from
  // the start, so every sweep until it expires would send the notice if it were not once only.
  ServeProcess server({"--result-ttl", "6", "--janitor-interval", "1", "--expiry-notice", "3600",
                       "--keep-sources", "3600"});
  const std::string token = server.signup("expiry@example.com");
  const auto created = server.post_multipart(
      "/v1/jobs", {corpus_file("orientation/Landscape_1.jpg")},
      {{"name", "trip"}, {"options", R"({"width": 64, "format": "webp"})"}}, token);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string job = json::parse(created.body)["id"];
  ASSERT_EQ(wait_finished(server, job, token)["status"], "done");

  const json expired = wait_status(server, job, token, "expired");
  ASSERT_EQ(expired["status"], "expired");
  EXPECT_EQ(expired["sources_kept"], true);
  const auto expiring = notifications_of(server, token, "RESULT_EXPIRING", "ko");
  ASSERT_EQ(expiring.size(), 1u) << "sent once per job";
  EXPECT_EQ(expiring[0]["job_id"], job);
  EXPECT_NE(expiring[0]["message"].get<std::string>().find("작업 \"trip\"의 결과가"),
            std::string::npos)
      << expiring[0]["message"];
  EXPECT_TRUE(expiring[0]["params"]["remaining"].is_number_integer());
  EXPECT_EQ(wait_notifications(server, token, "RESULT_EXPIRED").size(), 1u);
  EXPECT_EQ(server.get("/v1/jobs/" + job + "/archive", token).status, 410);

  // Converted again from its kept uploads and options: a new job, done, with its own ZIP.
  const auto again = server.post_json("/v1/jobs/" + job + "/convert-again", "", token);
  ASSERT_EQ(again.status, 201) << again.body;
  const json fresh = json::parse(again.body);
  const std::string fresh_id = fresh["id"];
  EXPECT_NE(fresh_id, job);
  EXPECT_EQ(fresh["name"], "trip");
  EXPECT_EQ(fresh["options"]["width"], 64);
  EXPECT_EQ(fresh["options"]["format"], "webp");
  const json finished = wait_finished(server, fresh_id, token);
  EXPECT_EQ(finished["status"], "done");
  EXPECT_EQ(finished["images"][0]["source_name"], "Landscape_1.jpg");
  EXPECT_EQ(finished["images"][0]["output"]["width"], 64);
  EXPECT_EQ(server.get("/v1/jobs/" + fresh_id + "/archive", token).status, 200);

  // Another user's job is not found; a running one is a conflict.
  const std::string other = server.signup("someone-else@example.com");
  EXPECT_EQ(server.post_json("/v1/jobs/" + job + "/convert-again", "", other).status, 404);
}

TEST(ServeExpiry, AnExpiredJobWhoseUploadsWentCannotBeConvertedAgain) {
  ServeProcess server({"--result-ttl", "1", "--janitor-interval", "1", "--expiry-notice", "0"});
  const std::string token = server.signup("gone@example.com");
  const auto created =
      server.post_multipart("/v1/jobs", {corpus_file("orientation/Landscape_1.jpg")}, {}, token);
  const std::string job = json::parse(created.body)["id"];
  wait_finished(server, job, token);
  // Before it expires, the same uploads can be converted again.
  const auto again = server.post_json("/v1/jobs/" + job + "/convert-again", "", token);
  EXPECT_EQ(again.status, 201) << again.body;
  const json expired = wait_status(server, job, token, "expired");
  ASSERT_EQ(expired["status"], "expired");
  EXPECT_EQ(expired["sources_kept"], false);
  const auto refused = server.post_json("/v1/jobs/" + job + "/convert-again", "", token);
  EXPECT_EQ(refused.status, 410);
  EXPECT_EQ(error_of(refused)["code"], "sources_gone");
  EXPECT_TRUE(notifications_of(server, token, "RESULT_EXPIRING").empty()) << "expiry_notice 0";
}

TEST(ServeLimits, TheServersLimitsAndTheUsersUsage) {
  ServeProcess server({"--max-files", "7", "--max-file-bytes", "3000000", "--max-pixels",
                       "20000000", "--max-active-jobs", "4"});
  EXPECT_EQ(server.get("/v1/limits").status, 401) << "signed-in only";
  const std::string token = server.signup("limits@example.com");
  json limits = json::parse(server.get("/v1/limits", token).body);
  EXPECT_EQ(limits["max_files"], 7);
  EXPECT_EQ(limits["max_file_bytes"], 3000000);
  EXPECT_EQ(limits["max_pixels"], 20000000);
  EXPECT_EQ(limits["max_output_pixels"], 100000000);
  EXPECT_EQ(limits["max_watermark_bytes"], 5 * 1024 * 1024);
  EXPECT_EQ(limits["input_formats"],
            (json{"jpeg", "png", "webp", "gif", "tiff", "bmp", "avif", "heic"}));
  EXPECT_EQ(limits["quotas"]["max_active_jobs"], 4);
  EXPECT_EQ(limits["usage"], (json{{"active_jobs", 0}, {"queued_images", 0}, {"stored_bytes", 0}}));

  const auto created =
      server.post_multipart("/v1/jobs", {corpus_file("orientation/Landscape_1.jpg")}, {}, token);
  const std::string job = json::parse(created.body)["id"];
  wait_finished(server, job, token);
  limits = json::parse(server.get("/v1/limits", token).body);
  EXPECT_EQ(limits["usage"]["active_jobs"], 0);
  EXPECT_GT(limits["usage"]["stored_bytes"].get<long long>(), 0);
  // Another user's usage is their own.
  const std::string other = server.signup("limits-other@example.com");
  EXPECT_EQ(json::parse(server.get("/v1/limits", other).body)["usage"]["stored_bytes"], 0);
}

}  // namespace
}  // namespace imagesprint
