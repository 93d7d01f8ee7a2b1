// The webhook use cases on the real SQLite store and libsodium, with a scripted transport (the
// libcurl transport has its own tests against a real receiver; the integration test runs both).
#include "app/webhooks.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>

#include "../adapters/sqlite_records/temp_database.hpp"
#include "adapters/localfs/local_object_store.hpp"
#include "adapters/memory/in_process_event_bus.hpp"
#include "adapters/sodium/sodium_secrets.hpp"
#include "adapters/sql/sql_job_store.hpp"
#include "adapters/sql/sql_notification_store.hpp"
#include "adapters/sql/sql_webhook_store.hpp"
#include "app/webhook_signature.hpp"
#include "domain/untrusted_text.hpp"

namespace imagesprint {
namespace {

using namespace std::chrono_literals;

/// Answers each post with the next scripted response (2xx when the script is empty) and keeps
/// what was sent. refuse_url refuses hosts named "private.test" and Slack URLs off Slack.
class ScriptedTransport final : public WebhookTransport {
 public:
  OutboundResponse post(const OutboundRequest& request) override {
    std::lock_guard lock(mutex_);
    sent.push_back(request);
    if (script.empty()) return OutboundResponse{OutboundResponse::Failure::none, 204};
    auto next = script.front();
    script.pop_front();
    return next;
  }
  std::optional<std::string> refuse_url(const std::string& url, WebhookType type) const override {
    if (url.find("private.test") != std::string::npos) return "resolves to a private address";
    if (type == WebhookType::slack && !url.starts_with("https://hooks.slack.com/")) {
      return "a Slack webhook must be on https://hooks.slack.com";
    }
    return std::nullopt;
  }
  static OutboundResponse status(int code, std::optional<std::chrono::seconds> retry_after = {}) {
    OutboundResponse r;
    r.status = code;
    r.retry_after = retry_after;
    return r;
  }
  static OutboundResponse timeout() {
    OutboundResponse r;
    r.failure = OutboundResponse::Failure::timeout;
    r.error = "timeout after 10000 ms";
    return r;
  }
  std::deque<OutboundResponse> script;
  std::vector<OutboundRequest> sent;

 private:
  std::mutex mutex_;
};

std::string header(const OutboundRequest& request, const std::string& name) {
  for (const auto& [k, v] : request.headers) {
    if (k == name) return v;
  }
  return "";
}

class WebhooksTest : public ::testing::Test {
 protected:
  WebhooksTest() { rebuild({}); }

  void rebuild(WebhookSettings settings) {
    settings.retry_base_seconds = 10;
    webhooks_ = std::make_unique<Webhooks>(
        WebhookDeps{store_, transport_, objects_, notifications_, events_, secrets_,
                    [this] { return now_; }, [] { return std::string("https://img.example"); }},
        settings);
  }

  Webhook add(std::int64_t user, const std::string& type, const std::string& url,
              std::optional<std::vector<std::string>> events = std::nullopt) {
    auto created = webhooks_->create(user, {type, url, std::move(events), std::nullopt});
    EXPECT_TRUE(created) << (created ? "" : created.error().message);
    return created->webhook;
  }

  Job finished_job(std::int64_t user) {
    Job job;
    job.id = "job1";
    job.user_id = user;
    job.name = "Holiday photos";
    job.status = JobStatus::done;
    job.total = job.done = 3;
    job.bytes_in = 9'000'000;
    job.bytes_out = 2'000'000;
    job.created_at = now_ - 5000;
    job.started_at = now_ - 4000;
    job.finished_at = now_;
    job.expires_at = now_ + 86'400'000;
    return job;
  }

  /// Runs the dispatcher step once at the current time.
  bool step() { return webhooks_->deliver_one(); }

  UnixMillis now_ = 1'700'000'000'000;
  test::TempDatabase db_;
  SqlWebhookStore store_{db_.db()};
  SqlNotificationStore notifications_{db_.db()};
  ScriptedTransport transport_;
  LocalObjectStore objects_{LocalObjectStoreConfig{db_.file().parent_path() / "objects",
                                                   std::string(32, 'k'), "/v1/objects/",
                                                   [this] { return now_; }}};
  InProcessEventBus events_;
  SodiumSecrets secrets_{PasswordCost{1, 8192}};
  std::unique_ptr<Webhooks> webhooks_;
};

TEST_F(WebhooksTest, RegistrationVetsEveryFieldByName) {
  auto bad_type = webhooks_->create(1, {"teams", "https://example.com/h", {}, {}});
  ASSERT_FALSE(bad_type);
  EXPECT_EQ(bad_type.error().field, "type");
  auto private_url = webhooks_->create(1, {"generic", "https://private.test/h", {}, {}});
  ASSERT_FALSE(private_url);
  EXPECT_EQ(private_url.error().field, "url");
  EXPECT_NE(private_url.error().message.find("private"), std::string::npos);
  auto off_slack = webhooks_->create(1, {"slack", "https://example.com/h", {}, {}});
  ASSERT_FALSE(off_slack);
  EXPECT_EQ(off_slack.error().field, "url");
  auto bad_event =
      webhooks_->create(1, {"generic", "https://example.com/h", {{"job.exploded"}}, {}});
  ASSERT_FALSE(bad_event);
  EXPECT_EQ(bad_event.error().field, "events");
  auto short_secret =
      webhooks_->create(1, {"generic", "https://example.com/h", {}, "whsec_c2hvcnQ="});
  ASSERT_FALSE(short_secret);
  EXPECT_EQ(short_secret.error().field, "secret");
  auto slack_secret =
      webhooks_->create(1, {"slack", "https://hooks.slack.com/services/T/B/x", {}, "whsec_x"});
  ASSERT_FALSE(slack_secret);
  EXPECT_EQ(slack_secret.error().field, "secret");
}

TEST_F(WebhooksTest, AGenericWebhookGetsASecretShownOnce) {
  auto created = webhooks_->create(1, {"generic", "https://example.com/h", {}, {}});
  ASSERT_TRUE(created);
  EXPECT_TRUE(created->shown_secret.starts_with("whsec_"));
  EXPECT_EQ(created->webhook.events.size(), std::size(WEBHOOK_EVENTS));  // all by default
  auto slack = webhooks_->create(1, {"slack", "https://hooks.slack.com/services/T/B/x", {}, {}});
  ASSERT_TRUE(slack);
  EXPECT_TRUE(slack->shown_secret.empty());
  auto toggled = webhooks_->update(1, created->webhook.id, {false, {}, false});
  ASSERT_TRUE(toggled);
  EXPECT_TRUE(toggled->shown_secret.empty());
  EXPECT_FALSE(toggled->webhook.enabled);
  EXPECT_EQ(toggled->webhook.disabled_reason, "disabled by the user");
}

TEST_F(WebhooksTest, AJobEndIsPersistedPerSubscriberAndSentSigned) {
  const auto generic = add(1, "generic", "https://example.com/generic");
  add(1, "slack", "https://hooks.slack.com/services/T/B/x", {{"job.failed"}});
  add(2, "generic", "https://example.com/other-user");
  EXPECT_EQ(webhooks_->job_event(finished_job(1), "job.completed"), 1);
  EXPECT_FALSE(step() && step());  // one delivery only
  ASSERT_EQ(transport_.sent.size(), 1u);
  const auto& request = transport_.sent[0];
  EXPECT_EQ(request.url, "https://example.com/generic");
  const auto body = nlohmann::json::parse(request.body);
  EXPECT_EQ(body["type"], "job.completed");
  EXPECT_EQ(body["data"]["job"]["id"], "job1");
  const std::string link = body["data"]["job"]["download_url"];
  EXPECT_TRUE(link.starts_with("https://img.example/v1/objects/jobs/job1/archive.zip?expires="))
      << link;
  EXPECT_EQ(header(request, "webhook-id"), body["id"]);
  EXPECT_EQ(header(request, "webhook-timestamp"), std::to_string(now_ / 1000));
  EXPECT_TRUE(header(request, "webhook-signature").starts_with("v1,"));
  const auto log = webhooks_->deliveries(1, generic.id, "", 10);
  ASSERT_TRUE(log);
  ASSERT_EQ(log->items.size(), 1u);
  EXPECT_EQ(log->items[0].first.status, DeliveryStatus::delivered);
  EXPECT_EQ(log->items[0].second.at(0).status_code, 204);
  EXPECT_FALSE(webhooks_->deliveries(2, generic.id, "", 10));  // not another user's
}

TEST_F(WebhooksTest, RetriesWithDoublingWaitsUntilTheReceiverAccepts) {
  const auto w = add(1, "generic", "https://example.com/h");
  transport_.script = {ScriptedTransport::status(500), ScriptedTransport::timeout(),
                       ScriptedTransport::status(200)};
  webhooks_->job_event(finished_job(1), "job.completed");
  ASSERT_TRUE(step());
  auto first_retry = webhooks_->next_due();
  ASSERT_TRUE(first_retry);
  EXPECT_GE(*first_retry, now_ + 7'500);  // 10 s base, +-25 % jitter
  EXPECT_LE(*first_retry, now_ + 12'500);
  EXPECT_FALSE(step());  // not due yet
  now_ = *first_retry;
  ASSERT_TRUE(step());
  auto second_retry = webhooks_->next_due();
  ASSERT_TRUE(second_retry);
  EXPECT_GE(*second_retry, now_ + 15'000);  // doubled
  EXPECT_LE(*second_retry, now_ + 25'000);
  now_ = *second_retry;
  ASSERT_TRUE(step());
  EXPECT_FALSE(webhooks_->next_due());
  const auto log = webhooks_->deliveries(1, w.id, "", 10);
  const auto& [delivery, attempts] = log->items.at(0);
  EXPECT_EQ(delivery.status, DeliveryStatus::delivered);
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].error, "HTTP 500");
  EXPECT_TRUE(attempts[0].next_retry_at);
  EXPECT_NE(attempts[1].error.find("timeout"), std::string::npos);
  EXPECT_EQ(attempts[2].status_code, 200);
  // The same webhook-id on every try: receivers deduplicate on it.
  ASSERT_EQ(transport_.sent.size(), 3u);
  EXPECT_EQ(header(transport_.sent[0], "webhook-id"), header(transport_.sent[2], "webhook-id"));
  EXPECT_EQ(transport_.sent[0].body, transport_.sent[2].body);
}

TEST_F(WebhooksTest, HonoursRetryAfterAndNeverRetriesAClientError) {
  const auto w = add(1, "generic", "https://example.com/h");
  transport_.script = {ScriptedTransport::status(429, 600s), ScriptedTransport::status(400)};
  webhooks_->job_event(finished_job(1), "job.completed");
  ASSERT_TRUE(step());
  EXPECT_GE(*webhooks_->next_due(), now_ + 600'000);
  now_ = *webhooks_->next_due();
  ASSERT_TRUE(step());
  EXPECT_FALSE(webhooks_->next_due());  // a 400 ends it
  const auto log = webhooks_->deliveries(1, w.id, "", 10);
  EXPECT_EQ(log->items.at(0).first.status, DeliveryStatus::failed);
  EXPECT_EQ(log->items.at(0).second.size(), 2u);
  EXPECT_EQ(webhooks_->find(1, w.id)->consecutive_failures, 1);
}

TEST_F(WebhooksTest, GivesUpAfterTheLastTryAndDisablesAWebhookThatKeepsFailing) {
  WebhookSettings settings;
  settings.max_attempts = 2;
  settings.disable_after = 2;
  rebuild(settings);
  const auto w = add(1, "generic", "https://example.com/h");
  for (int i = 0; i < 4; ++i) transport_.script.push_back(ScriptedTransport::status(503));
  for (int job = 0; job < 2; ++job) {
    webhooks_->job_event(finished_job(1), "job.completed");
    ASSERT_TRUE(step());
    now_ = *webhooks_->next_due();
    ASSERT_TRUE(step());  // second and last try
  }
  EXPECT_FALSE(webhooks_->next_due());
  const auto disabled = webhooks_->find(1, w.id);
  EXPECT_FALSE(disabled->enabled);
  EXPECT_NE(disabled->disabled_reason.find("HTTP 503"), std::string::npos);
  const auto page = notifications_.list(1, true, "", 10);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].type, "WEBHOOK_DISABLED");
  // Disabled: no new deliveries; re-enabling clears the count.
  EXPECT_EQ(webhooks_->job_event(finished_job(1), "job.completed"), 0);
  auto enabled = webhooks_->update(1, w.id, {true, {}, false});
  ASSERT_TRUE(enabled);
  EXPECT_EQ(enabled->webhook.consecutive_failures, 0);
}

TEST_F(WebhooksTest, ALongTransportErrorIsCutToWhatTheRecordsHold) {
  // A resolver's message names the host (up to 253 characters) and a refusal lists every
  // address: MariaDB refused the text past its columns (disabled_reason holds 255).
  WebhookSettings settings;
  settings.max_attempts = 1;
  settings.disable_after = 1;
  rebuild(settings);
  const auto w = add(1, "generic", "https://example.com/h");
  OutboundResponse refused;
  refused.failure = OutboundResponse::Failure::refused_address;
  refused.error = "refused address: ";
  for (int i = 0; i < 300; ++i) refused.error += "\xea\xb0\x80 is private; ";  // 가
  transport_.script.push_back(refused);
  webhooks_->job_event(finished_job(1), "job.completed");
  ASSERT_TRUE(step());
  const auto disabled = webhooks_->find(1, w.id);
  ASSERT_TRUE(disabled.has_value());
  EXPECT_FALSE(disabled->enabled);
  EXPECT_EQ(cut_code_points(disabled->disabled_reason, 255), disabled->disabled_reason);
  EXPECT_TRUE(disabled->disabled_reason.starts_with("1 deliveries in a row failed; last: refused"));
  const auto log = webhooks_->deliveries(1, w.id, "", 10);
  ASSERT_TRUE(log.has_value());
  ASSERT_EQ(log->items.size(), 1u);
  ASSERT_EQ(log->items[0].second.size(), 1u);
  const std::string& error = log->items[0].second[0].error;
  EXPECT_EQ(cut_code_points(error, 500), error);
  EXPECT_TRUE(error.starts_with("refused address: \xea\xb0\x80 is private"));
}

TEST_F(WebhooksTest, ARotatedSecretSignsWithBothDuringTheGrace) {
  const auto w = add(1, "generic", "https://example.com/h");
  auto rotated = webhooks_->update(1, w.id, {{}, {}, true});
  ASSERT_TRUE(rotated);
  EXPECT_TRUE(rotated->shown_secret.starts_with("whsec_"));
  EXPECT_TRUE(rotated->webhook.previous_until);
  webhooks_->job_event(finished_job(1), "job.completed");
  ASSERT_TRUE(step());
  const std::string signatures = header(transport_.sent.at(0), "webhook-signature");
  EXPECT_NE(signatures.find(' '), std::string::npos) << signatures;  // "v1,a v1,b"
  auto other_user = webhooks_->update(2, w.id, {{}, {}, true});
  ASSERT_FALSE(other_user);
  EXPECT_EQ(other_user.error().code, ErrorCode::not_found);
}

TEST_F(WebhooksTest, TheTestMessageReportsTheReceiversAnswer) {
  transport_.script = {ScriptedTransport::status(404)};
  auto answer = webhooks_->test(1, {"discord", "https://discord.com/api/webhooks/1/x", {}, {}});
  ASSERT_TRUE(answer);
  EXPECT_FALSE(answer->ok);
  EXPECT_EQ(answer->status, 404);
  EXPECT_EQ(answer->error, "HTTP 404");
  auto ok = webhooks_->test(1, {"discord", "https://discord.com/api/webhooks/1/x", {}, {}});
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->ok);
  EXPECT_TRUE(nlohmann::json::parse(transport_.sent.at(1).body).contains("embeds"));
  auto refused = webhooks_->test(1, {"generic", "http://private.test/", {}, {}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "url");
  EXPECT_EQ(transport_.sent.size(), 2u);  // the refused URL was never contacted
}

// 32 bytes, base64: a secret the test knows.
constexpr const char* KNOWN_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwTx1mWY1Xtz0=";

std::vector<std::string> header_names(const OutboundRequest& request) {
  std::vector<std::string> names;
  for (const auto& [name, value] : request.headers) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

TEST_F(WebhooksTest, TheTestMessageIsSignedExactlyLikeARealDelivery) {
  auto created = webhooks_->create(1, {"generic", "https://example.com/g", {}, KNOWN_SECRET});
  ASSERT_TRUE(created);
  webhooks_->job_event(finished_job(1), "job.completed");
  ASSERT_TRUE(step());
  auto tested = webhooks_->test(1, {"generic", "https://example.com/g", {}, KNOWN_SECRET});
  ASSERT_TRUE(tested);
  EXPECT_TRUE(tested->generated_secret.empty());  // the given one signed it
  ASSERT_EQ(transport_.sent.size(), 2u);
  // Copies: the transport's list grows below.
  const OutboundRequest real = transport_.sent[0];
  const OutboundRequest test = transport_.sent[1];
  // The same three Standard Webhooks headers, and nothing else or less.
  EXPECT_EQ(header_names(test), header_names(real));
  EXPECT_EQ(header_names(test),
            (std::vector<std::string>{"webhook-id", "webhook-signature", "webhook-timestamp"}));
  // Each verifies with the same secret over id.timestamp.body (the scheme receivers check).
  for (const OutboundRequest* r : {&real, &test}) {
    const std::string id = header(*r, "webhook-id");
    EXPECT_TRUE(id.starts_with("msg_")) << id;
    EXPECT_EQ(nlohmann::json::parse(r->body)["id"], id);
    EXPECT_EQ(header(*r, "webhook-signature"),
              sign_webhook(secrets_, KNOWN_SECRET, id, std::stoll(header(*r, "webhook-timestamp")),
                           r->body));
  }
  EXPECT_EQ(nlohmann::json::parse(test.body)["type"], "webhook.test");
  EXPECT_EQ(nlohmann::json::parse(test.body)["version"],
            nlohmann::json::parse(real.body)["version"]);

  // Without a secret, a generic test is signed all the same, with a new secret it returns.
  auto fresh = webhooks_->test(1, {"generic", "https://example.com/g", {}, {}});
  ASSERT_TRUE(fresh);
  ASSERT_TRUE(fresh->generated_secret.starts_with("whsec_")) << fresh->generated_secret;
  const OutboundRequest unsigned_test = transport_.sent.at(2);
  EXPECT_EQ(header_names(unsigned_test), header_names(real));
  EXPECT_EQ(
      header(unsigned_test, "webhook-signature"),
      sign_webhook(secrets_, fresh->generated_secret, header(unsigned_test, "webhook-id"),
                   std::stoll(header(unsigned_test, "webhook-timestamp")), unsigned_test.body));
  // Slack and Discord are never signed (real deliveries are not either).
  ASSERT_TRUE(webhooks_->test(1, {"slack", "https://hooks.slack.com/services/T/B/x", {}, {}}));
  EXPECT_TRUE(transport_.sent.at(3).headers.empty());
}

TEST_F(WebhooksTest, APartialJobsEventListsTheFailedImagesWithTheirReasons) {
  SqlJobStore jobs(db_.db());
  webhooks_ = std::make_unique<Webhooks>(
      WebhookDeps{store_, transport_, objects_, notifications_, events_, secrets_,
                  [this] { return now_; }, [] { return std::string("https://img.example"); },
                  &jobs},
      WebhookSettings{});
  const auto hook = add(1, "generic", "https://example.com/partial");
  Job job = finished_job(1);
  job.status = JobStatus::queued;
  std::vector<ImageRecord> images(3);
  for (int i = 0; i < 3; ++i) {
    images[i].job_id = job.id;
    images[i].index = i;
    images[i].source_name = "photo-" + std::to_string(i) + ".jpg";
    images[i].output_name = "photo-" + std::to_string(i) + ".webp";
  }
  ASSERT_TRUE(jobs.create_job(job, images).second);
  for (int i = 0; i < 3; ++i) {
    ImageRecord outcome = images[i];
    outcome.status = i == 1 ? ImageStatus::failed : ImageStatus::done;
    if (i == 1) {
      outcome.error_code = "corrupt_image";
      outcome.error_message = "\"photo-1.jpg\": the image data is truncated";
    }
    jobs.record_image(outcome, now_);
  }
  job.status = JobStatus::partial;
  job.done = 2;
  job.failed = 1;
  EXPECT_EQ(webhooks_->job_event(job, "job.completed"), 1);
  ASSERT_TRUE(step());
  const auto body = nlohmann::json::parse(transport_.sent.at(0).body);
  ASSERT_EQ(body["data"]["failed_images"].size(), 1u) << body.dump(2);
  EXPECT_EQ(body["data"]["failed_images"][0]["index"], 1);
  EXPECT_EQ(body["data"]["failed_images"][0]["name"], "photo-1.jpg");
  EXPECT_EQ(body["data"]["failed_images"][0]["error"]["code"], "corrupt_image");
  EXPECT_EQ(body["data"]["failed_images"][0]["error"]["message"],
            "\"photo-1.jpg\": the image data is truncated");
  // The delivery log names the job.
  const auto log = webhooks_->deliveries(1, hook.id, "", 10);
  ASSERT_TRUE(log);
  EXPECT_EQ(log->items.at(0).first.job_id, "job1");
  EXPECT_EQ(log->items.at(0).first.job_name, "Holiday photos");
}

TEST_F(WebhooksTest, ARedeliveryIsTheOwnersOnlyAndGetsAFreshBudgetOfTries) {
  WebhookSettings settings;
  settings.max_attempts = 2;
  rebuild(settings);
  const auto hook = add(1, "generic", "https://example.com/down");
  const auto others = add(2, "generic", "https://example.com/other");
  transport_.script = {ScriptedTransport::status(500), ScriptedTransport::status(500)};
  webhooks_->job_event(finished_job(1), "job.completed");
  ASSERT_TRUE(step());
  const auto pending = webhooks_->deliveries(1, hook.id, "", 10)->items.at(0).first;
  ASSERT_EQ(pending.status, DeliveryStatus::pending);
  // A pending one is sent again by itself: no redelivery then.
  const auto early = webhooks_->redeliver(1, hook.id, pending.id);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::conflict);
  now_ += 60'000;
  ASSERT_TRUE(step());  // the second and last try fails too
  auto failed = webhooks_->deliveries(1, hook.id, "", 10)->items.at(0);
  ASSERT_EQ(failed.first.status, DeliveryStatus::failed);
  ASSERT_EQ(failed.second.size(), 2u);

  // Not another user's, not through another webhook, not a made-up id.
  EXPECT_EQ(webhooks_->redeliver(2, hook.id, pending.id).error().code, ErrorCode::not_found);
  EXPECT_EQ(webhooks_->redeliver(2, others.id, pending.id).error().code, ErrorCode::not_found);
  EXPECT_EQ(webhooks_->redeliver(1, hook.id, "msg_nothing").error().code, ErrorCode::not_found);

  const auto again = webhooks_->redeliver(1, hook.id, pending.id);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->first.status, DeliveryStatus::pending);
  EXPECT_EQ(again->first.id, pending.id);
  EXPECT_EQ(again->second.size(), 2u);  // the log is kept
  transport_.script = {ScriptedTransport::status(503)};
  ASSERT_TRUE(step());  // due at once
  // Try 3 in all, but the first of the redelivery: retried, not given up.
  auto retrying = webhooks_->deliveries(1, hook.id, "", 10)->items.at(0);
  EXPECT_EQ(retrying.first.status, DeliveryStatus::pending);
  ASSERT_EQ(retrying.second.size(), 3u);
  EXPECT_EQ(retrying.second[2].attempt, 3);
  now_ += 60'000;
  ASSERT_TRUE(step());  // accepted
  ASSERT_EQ(transport_.sent.size(), 4u);
  EXPECT_EQ(header(transport_.sent[3], "webhook-id"), header(transport_.sent[0], "webhook-id"));
  EXPECT_EQ(transport_.sent[3].body, transport_.sent[0].body);
  EXPECT_EQ(webhooks_->deliveries(1, hook.id, "", 10)->items.at(0).first.status,
            DeliveryStatus::delivered);

  // A disabled webhook's deliveries are not sent again.
  ASSERT_TRUE(webhooks_->update(1, hook.id, WebhookPatch{false, std::nullopt, false}));
  const auto disabled = webhooks_->redeliver(1, hook.id, pending.id);
  ASSERT_FALSE(disabled);
  EXPECT_EQ(disabled.error().code, ErrorCode::conflict);
}

}  // namespace
}  // namespace imagesprint
