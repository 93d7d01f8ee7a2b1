// Webhooks end to end: a real `imagesprint serve` delivering to a real local receiver over
// libcurl; the generic signature checked with libsodium directly and with the Standard Webhooks
// project's own library (npm `standardwebhooks`).
#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "serve_process.hpp"
#include "support/corpus.hpp"
#include "webhook_receiver.hpp"

namespace imagesprint {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using test::FilePart;
using test::ReceivedRequest;
using test::ServeProcess;
using test::WebhookReceiver;

// 32 bytes, base64: a secret the test knows, so it can check signatures on its own.
constexpr const char* SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwTx1mWY1Xtz0=";

FilePart photo(const std::string& relative) {
  const auto bytes = test::read_bytes(test::corpus(relative));
  return {"files", std::filesystem::path(relative).filename().string(),
          std::string(bytes.begin(), bytes.end())};
}

std::string run_job(ServeProcess& server, const std::string& token) {
  const auto created = server.post_multipart(
      "/v1/jobs", {photo("photos/colorfulcups-2560x1600.jpg"), photo("photos/path-2560x1600.jpg")},
      {{"options", R"({"width":640,"format":"webp"})"}, {"name", "Webhook *test* <job>"}}, token);
  EXPECT_EQ(created.status, 201) << created.body;
  return json::parse(created.body)["id"];
}

/// HMAC-SHA256 over "{id}.{timestamp}.{body}" with the secret's key, computed here with libsodium
/// (not with the service's code), base64 as the specification says.
std::string expected_signature(const ReceivedRequest& r) {
  const std::string b64 = std::string(SECRET).substr(6);
  std::vector<unsigned char> key(64);
  std::size_t key_len = 0;
  EXPECT_EQ(sodium_base642bin(key.data(), key.size(), b64.data(), b64.size(), nullptr, &key_len,
                              nullptr, sodium_base64_VARIANT_ORIGINAL),
            0);
  const std::string message =
      r.headers.at("webhook-id") + "." + r.headers.at("webhook-timestamp") + "." + r.body;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.data(), key_len);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  char out[sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(out, sizeof out, mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
  return std::string("v1,") + out;
}

/// Runs the Standard Webhooks library on a received request; true when it verifies.
bool standard_library_verifies(const ReceivedRequest& r) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("imagesprint-swh-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "body", std::ios::binary) << r.body;
  const std::string command =
      std::string("node ") + IMAGESPRINT_VERIFY_SCRIPT + " '" + SECRET + "' '" +
      r.headers.at("webhook-id") + "' '" + r.headers.at("webhook-timestamp") + "' '" +
      r.headers.at("webhook-signature") + "' '" + (dir / "body").string() + "' >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  std::filesystem::remove_all(dir);
  return status == 0;
}

json create_webhook(ServeProcess& server, const std::string& token, const json& body) {
  const auto r = server.post_json("/v1/webhooks", body.dump(), token);
  EXPECT_EQ(r.status, 201) << r.body;
  return json::parse(r.body);
}

json deliveries(ServeProcess& server, const std::string& token, const json& webhook) {
  return json::parse(
      server.get("/v1/webhooks/" + std::to_string(webhook["id"].get<int>()) + "/deliveries", token)
          .body);
}

class Webhooks : public ::testing::Test {
 protected:
  WebhookReceiver receiver_;
};

TEST_F(Webhooks, EachTypeGetsItsPayloadAndTheGenericOneIsSignedAndRetried) {
  ServeProcess server({"--webhook-allow-private", "--webhook-retry-base", "0.5"});
  const std::string token = server.signup("hooks@example.com");
  receiver_.script("/generic", {500, 500, 200});
  receiver_.script("/bad", {400});
  const auto generic = create_webhook(
      server, token, {{"type", "generic"}, {"url", receiver_.url("/generic")}, {"secret", SECRET}});
  EXPECT_EQ(generic["secret"], SECRET);
  const auto slack =
      create_webhook(server, token, {{"type", "slack"}, {"url", receiver_.url("/slack")}});
  create_webhook(server, token, {{"type", "discord"}, {"url", receiver_.url("/discord")}});
  const auto bad = create_webhook(
      server, token,
      {{"type", "generic"}, {"url", receiver_.url("/bad")}, {"events", {"job.completed"}}});
  EXPECT_FALSE(slack.contains("secret"));

  const std::string job = run_job(server, token);

  // Slack: text plus blocks, with the job's name and a download link.
  const auto slack_requests = receiver_.wait_for("/slack", 1, 60s);
  ASSERT_EQ(slack_requests.size(), 1u);
  const auto slack_body = json::parse(slack_requests[0].body);
  EXPECT_TRUE(slack_body["text"].is_string());
  ASSERT_TRUE(slack_body["blocks"].is_array());
  EXPECT_NE(slack_requests[0].body.find("/v1/objects/jobs/" + job + "/archive.zip"),
            std::string::npos);
  EXPECT_EQ(slack_requests[0].headers.count("webhook-signature"), 0u);
  // Discord: content plus an embed.
  const auto discord_requests = receiver_.wait_for("/discord", 1, 10s);
  ASSERT_EQ(discord_requests.size(), 1u);
  const auto discord_body = json::parse(discord_requests[0].body);
  EXPECT_TRUE(discord_body["content"].is_string());
  ASSERT_TRUE(discord_body["embeds"].is_array());
  EXPECT_FALSE(discord_body["embeds"][0]["fields"].empty());

  // Generic: 500, 500, then accepted; the same webhook-id and body each time, about 0.5 s and
  // then about 1 s apart (+-25 % jitter).
  const auto tries = receiver_.wait_for("/generic", 3, 30s);
  ASSERT_EQ(tries.size(), 3u);
  for (const auto& r : tries) {
    EXPECT_EQ(r.headers.at("webhook-id"), tries[0].headers.at("webhook-id"));
    EXPECT_EQ(r.body, tries[0].body);
    EXPECT_EQ(r.headers.at("webhook-signature"), expected_signature(r));
    EXPECT_TRUE(standard_library_verifies(r)) << "standardwebhooks refused the signature";
  }
  const auto first_wait = tries[1].at - tries[0].at;
  const auto second_wait = tries[2].at - tries[1].at;
  EXPECT_GE(first_wait, 350ms);
  EXPECT_GE(second_wait, 700ms);
  const auto event = json::parse(tries[0].body);
  EXPECT_EQ(event["type"], "job.completed");
  EXPECT_EQ(event["id"], tries[0].headers.at("webhook-id"));
  EXPECT_TRUE(event["created_at"].is_string());
  EXPECT_EQ(event["data"]["job"]["id"], job);
  EXPECT_EQ(event["data"]["job"]["done"], 2);

  // A tampered body fails the library's check (so the check above can fail).
  ReceivedRequest tampered = tries[2];
  tampered.body[tampered.body.size() / 2] ^= 1;
  EXPECT_FALSE(standard_library_verifies(tampered));

  // The download link in the payload works without signing in; a forged one does not.
  std::string link = event["data"]["job"]["download_url"];
  link = link.substr(link.find("/v1/objects/"));
  const auto zip = server.get(link);
  EXPECT_EQ(zip.status, 200);
  EXPECT_EQ(zip.body.substr(0, 2), "PK");
  EXPECT_EQ(server.get(link.substr(0, link.size() - 2) + "00").status, 403);

  // The deliveries log: three attempts with their status codes.
  const auto log = deliveries(server, token, generic);
  ASSERT_EQ(log["items"].size(), 1u);
  EXPECT_EQ(log["items"][0]["status"], "delivered");
  ASSERT_EQ(log["items"][0]["attempts_log"].size(), 3u);
  EXPECT_EQ(log["items"][0]["attempts_log"][0]["status_code"], 500);
  EXPECT_FALSE(log["items"][0]["attempts_log"][0]["next_retry_at"].is_null());
  EXPECT_EQ(log["items"][0]["attempts_log"][2]["status_code"], 200);

  // A 400 is not retried.
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(receiver_.received("/bad").size(), 1u);
  const auto bad_log = deliveries(server, token, bad);
  EXPECT_EQ(bad_log["items"][0]["status"], "failed");
  EXPECT_EQ(bad_log["items"][0]["attempts_log"].size(), 1u);

  // Another user sees none of it.
  const std::string other = server.signup("other@example.com");
  const std::string path = "/v1/webhooks/" + std::to_string(generic["id"].get<int>());
  EXPECT_EQ(server.get(path, other).status, 404);
  EXPECT_EQ(server.get(path + "/deliveries", other).status, 404);
  EXPECT_EQ(server.del(path, other).status, 404);
  EXPECT_EQ(json::parse(server.get("/v1/webhooks", other).body)["items"].size(), 0u);
}

TEST_F(Webhooks, TheTestEndpointAndChangesToAWebhook) {
  ServeProcess server({"--webhook-allow-private"});
  const std::string token = server.signup("tester@example.com");
  receiver_.script("/test-404", {404});
  auto answer = server.post_json(
      "/v1/webhooks/test", json{{"type", "generic"}, {"url", receiver_.url("/try")}}.dump(), token);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(json::parse(answer.body)["ok"], true);
  EXPECT_EQ(json::parse(answer.body)["status"], 200);
  const auto got = receiver_.received("/try");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(json::parse(got[0].body)["type"], "webhook.test");
  answer =
      server.post_json("/v1/webhooks/test",
                       json{{"type", "slack"}, {"url", receiver_.url("/test-404")}}.dump(), token);
  EXPECT_EQ(json::parse(answer.body)["ok"], false);
  EXPECT_EQ(json::parse(answer.body)["status"], 404);

  const auto hook =
      create_webhook(server, token, {{"type", "generic"}, {"url", receiver_.url("/changes")}});
  const std::string path = "/v1/webhooks/" + std::to_string(hook["id"].get<int>());
  auto changed = server.patch_json(path, R"({"enabled":false,"events":["job.failed"]})", token);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(json::parse(changed.body)["enabled"], false);
  EXPECT_EQ(json::parse(changed.body)["events"], json::array({"job.failed"}));
  auto rotated = server.patch_json(path, R"({"rotate_secret":true})", token);
  EXPECT_TRUE(json::parse(rotated.body)["secret"].get<std::string>().starts_with("whsec_"));
  auto bad_field = server.patch_json(path, R"({"url":"http://elsewhere"})", token);
  EXPECT_EQ(bad_field.status, 400);
  EXPECT_EQ(json::parse(bad_field.body)["error"]["field"], "url");
  EXPECT_EQ(server.del(path, token).status, 204);
  EXPECT_EQ(server.get(path, token).status, 404);
}

// Only loopback targets here, and none is ever connected to: private, link-local and metadata
// address literals, and names resolving to them, are the address policy's unit tests, on a fake
// resolver (tests/unit/adapters/curl/).
TEST_F(Webhooks, PrivateTargetsAreRefusedUnlessAllowed) {
  ServeProcess server;  // no --webhook-allow-private
  const std::string token = server.signup("ssrf@example.com");
  for (const std::string& url :
       {receiver_.url("/x"), std::string("http://localhost:9/x"), std::string("http://127.0.0.2/"),
        std::string("http://[::1]/"), std::string("http://[::ffff:127.0.0.1]/"),
        std::string("ftp://127.0.0.1/x")}) {
    const auto r =
        server.post_json("/v1/webhooks", json{{"type", "generic"}, {"url", url}}.dump(), token);
    EXPECT_GE(r.status, 400) << url;
    EXPECT_LT(r.status, 500) << url;
    EXPECT_EQ(json::parse(r.body)["error"]["field"], "url") << url << " " << r.body;
    const auto t = server.post_json("/v1/webhooks/test",
                                    json{{"type", "generic"}, {"url", url}}.dump(), token);
    EXPECT_EQ(json::parse(t.body)["error"]["field"], "url") << url;
  }
  const auto slack = server.post_json(
      "/v1/webhooks", json{{"type", "slack"}, {"url", "https://127.0.0.1/services/x"}}.dump(),
      token);
  EXPECT_EQ(json::parse(slack.body)["error"]["field"], "url");
  EXPECT_TRUE(receiver_.received("/x").empty());
}

TEST_F(Webhooks, ADeliveryDueAcrossARestartIsStillMade) {
  receiver_.script("/restart", {503});
  ServeProcess first({"--webhook-allow-private", "--webhook-retry-base", "3"});
  const std::string token = first.signup("restart@example.com");
  create_webhook(first, token, {{"type", "generic"}, {"url", receiver_.url("/restart")}});
  run_job(first, token);
  const auto failed = receiver_.wait_for("/restart", 1, 60s);
  ASSERT_EQ(failed.size(), 1u);
  std::this_thread::sleep_for(500ms);  // the failed attempt is logged and the retry scheduled
  const auto data = first.data();
  first.kill_hard();  // a crash between the failure and the retry

  ServeProcess second({"--webhook-allow-private", "--webhook-retry-base", "3"}, data);
  const auto tries = receiver_.wait_for("/restart", 2, 30s);
  ASSERT_EQ(tries.size(), 2u);
  EXPECT_EQ(tries[1].headers.at("webhook-id"), failed[0].headers.at("webhook-id"));
  EXPECT_EQ(tries[1].body, failed[0].body);
  EXPECT_EQ(second.stop_gracefully(), 0);
  std::filesystem::remove_all(data);
}

std::vector<std::string> header_names(const ReceivedRequest& r) {
  std::vector<std::string> names;
  for (const auto& [name, value] : r.headers) {
    if (name.starts_with("webhook-")) names.push_back(name);
  }
  return names;  // a std::map's keys: sorted
}

TEST_F(Webhooks, TheTestMessageIsSignedExactlyLikeARealDelivery) {
  ServeProcess server({"--webhook-allow-private"});
  const std::string token = server.signup("signed-test@example.com");
  create_webhook(server, token,
                 {{"type", "generic"}, {"url", receiver_.url("/real")}, {"secret", SECRET}});
  run_job(server, token);
  const auto real = receiver_.wait_for("/real", 1, 60s);
  ASSERT_EQ(real.size(), 1u);

  const auto answer = server.post_json(
      "/v1/webhooks/test",
      json{{"type", "generic"}, {"url", receiver_.url("/test")}, {"secret", SECRET}}.dump(), token);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_FALSE(json::parse(answer.body).contains("secret"));  // the given one signed it
  const auto tests = receiver_.received("/test");
  ASSERT_EQ(tests.size(), 1u);
  const ReceivedRequest& test = tests[0];
  // The same Standard Webhooks headers, the same content type, the same scheme.
  EXPECT_EQ(header_names(test), header_names(real[0]));
  EXPECT_EQ(header_names(test),
            (std::vector<std::string>{"webhook-id", "webhook-signature", "webhook-timestamp"}));
  EXPECT_EQ(test.headers.at("content-type"), real[0].headers.at("content-type"));
  EXPECT_EQ(test.headers.at("user-agent"), real[0].headers.at("user-agent"));
  for (const ReceivedRequest* r : {&real[0], &test}) {
    EXPECT_EQ(r->headers.at("webhook-signature"), expected_signature(*r));
    EXPECT_TRUE(standard_library_verifies(*r)) << r->path << ": standardwebhooks refused it";
    EXPECT_EQ(json::parse(r->body)["id"], r->headers.at("webhook-id"));
  }
  EXPECT_EQ(json::parse(test.body)["type"], "webhook.test");

  // Without a secret the test is still signed, with a new secret the answer returns; a webhook
  // registered with it gets real deliveries signed with the same key.
  const auto fresh =
      server.post_json("/v1/webhooks/test",
                       json{{"type", "generic"}, {"url", receiver_.url("/fresh")}}.dump(), token);
  const std::string secret = json::parse(fresh.body).value("secret", "");
  ASSERT_TRUE(secret.starts_with("whsec_")) << fresh.body;
  ASSERT_EQ(receiver_.received("/fresh").size(), 1u);
  EXPECT_EQ(header_names(receiver_.received("/fresh")[0]), header_names(real[0]));
}

TEST_F(Webhooks, APartialJobsEventListsItsFailedImagesAndTheLogCanRedeliver) {
  ServeProcess server({"--webhook-allow-private"});
  const std::string token = server.signup("redeliver@example.com");
  receiver_.script("/down", {400});  // a refusal: failed at once, never retried by itself
  const auto hook = create_webhook(
      server, token, {{"type", "generic"}, {"url", receiver_.url("/down")}, {"secret", SECRET}});
  const auto created = server.post_multipart(
      "/v1/jobs", {photo("photos/path-2560x1600.jpg"), photo("edge/truncated.jpg")},
      {{"options", R"({"width":320})"}, {"name", "Half good"}}, token);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string job = json::parse(created.body)["id"];
  const auto first = receiver_.wait_for("/down", 1, 60s);
  ASSERT_EQ(first.size(), 1u);
  const json event = json::parse(first[0].body);
  EXPECT_EQ(event["data"]["job"]["status"], "partial");
  ASSERT_EQ(event["data"]["failed_images"].size(), 1u) << first[0].body;
  EXPECT_EQ(event["data"]["failed_images"][0]["index"], 1);
  EXPECT_EQ(event["data"]["failed_images"][0]["name"], "truncated.jpg");
  EXPECT_EQ(event["data"]["failed_images"][0]["error"]["code"], "corrupt_image");
  EXPECT_FALSE(event["data"]["failed_images"][0]["error"]["message"].get<std::string>().empty());

  // The log names the job; the delivery failed for good.
  const std::string hook_path = "/v1/webhooks/" + std::to_string(hook["id"].get<int>());
  json log;
  for (;;) {  // the attempt is logged just after the receiver answered
    log = deliveries(server, token, hook);
    if (log["items"].size() == 1 && log["items"][0]["status"] != "pending") break;
    std::this_thread::sleep_for(50ms);
  }
  const json delivery = log["items"][0];
  EXPECT_EQ(delivery["status"], "failed");
  EXPECT_EQ(delivery["job_id"], job);
  EXPECT_EQ(delivery["job_name"], "Half good");
  const std::string redeliver =
      hook_path + "/deliveries/" + delivery["id"].get<std::string>() + "/redeliver";

  // Only the owner may redeliver; a made-up delivery is 404 too.
  const std::string other = server.signup("not-the-owner@example.com");
  EXPECT_EQ(server.post_json(redeliver, "{}", other).status, 404);
  EXPECT_EQ(server.post_json(hook_path + "/deliveries/msg_nope/redeliver", "{}", token).status,
            404);

  const auto again = server.post_json(redeliver, "{}", token);
  ASSERT_EQ(again.status, 202) << again.body;
  EXPECT_EQ(json::parse(again.body)["id"], delivery["id"]);
  EXPECT_EQ(json::parse(again.body)["job_id"], job);
  const auto tries = receiver_.wait_for("/down", 2, 60s);
  ASSERT_EQ(tries.size(), 2u);
  EXPECT_EQ(tries[1].headers.at("webhook-id"), tries[0].headers.at("webhook-id"));
  EXPECT_EQ(tries[1].body, tries[0].body);
  EXPECT_EQ(tries[1].headers.at("webhook-signature"), expected_signature(tries[1]));
  for (;;) {
    log = deliveries(server, token, hook);
    if (log["items"][0]["status"] == "delivered") break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(log["items"].size(), 1u);
  EXPECT_EQ(log["items"][0]["attempts_log"].size(), 2u);
  EXPECT_EQ(log["items"][0]["attempts_log"][0]["status_code"], 400);
  EXPECT_EQ(log["items"][0]["attempts_log"][1]["status_code"], 200);
}

}  // namespace
}  // namespace imagesprint
