#include "app/webhook_payloads.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace imagesprint {
namespace {

using nlohmann::json;

constexpr UnixMillis T0 = 1'714'564'800'000;  // 2024-05-01T12:00:00.000Z

WebhookEvent completed_event() {
  WebhookEvent event;
  event.id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
  event.type = "job.completed";
  event.created_at = T0 + 83'456;
  event.job.id = "job_abc";
  event.job.user_id = 7;
  event.job.name = "Summer photos";
  event.job.status = JobStatus::done;
  event.job.total = 12;
  event.job.done = 12;
  event.job.bytes_in = 12'400'000;
  event.job.bytes_out = 3'100'000;
  event.job.created_at = T0;
  event.job.started_at = T0 + 1'000;
  event.job.finished_at = T0 + 84'000;
  event.download_url = "https://images.example.com/v1/jobs/job_abc/download?sig=abc&exp=1";
  event.download_expires_at = T0 + 86'400'000;
  return event;
}

json body(WebhookType type, const WebhookEvent& event) {
  return json::parse(webhook_body(type, event));
}

TEST(WebhookPayloads, GenericIsAVersionedEvent) {
  const json j = body(WebhookType::generic, completed_event());
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["id"], "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
  EXPECT_EQ(j["type"], "job.completed");
  EXPECT_EQ(j["created_at"], "2024-05-01T12:01:23.456Z");
  const json& job = j["data"]["job"];
  EXPECT_EQ(job, json::parse(R"({
    "id": "job_abc", "name": "Summer photos", "status": "done",
    "total": 12, "done": 12, "failed": 0, "bytes_in": 12400000, "bytes_out": 3100000,
    "created_at": "2024-05-01T12:00:00.000Z", "started_at": "2024-05-01T12:00:01.000Z",
    "finished_at": "2024-05-01T12:01:24.000Z", "expires_at": null, "duration_ms": 83000,
    "download_url": "https://images.example.com/v1/jobs/job_abc/download?sig=abc&exp=1",
    "download_expires_at": "2024-05-02T12:00:00.000Z"})"));
  // Compact, and in a stable, readable key order.
  const std::string text = webhook_body(WebhookType::generic, completed_event());
  EXPECT_TRUE(text.starts_with(R"({"version":1,"id":"msg_)")) << text;
  EXPECT_EQ(text.find('\n'), std::string::npos);
}

TEST(WebhookPayloads, GenericHasNullsForWhatIsUnknown) {
  WebhookEvent event = completed_event();
  event.type = "job.expired";
  event.job.status = JobStatus::expired;
  event.job.started_at.reset();
  event.download_url.clear();
  event.download_expires_at.reset();
  const json job = body(WebhookType::generic, event)["data"]["job"];
  EXPECT_TRUE(job["started_at"].is_null());
  EXPECT_TRUE(job["duration_ms"].is_null());
  EXPECT_TRUE(job["download_url"].is_null());
  EXPECT_TRUE(job["download_expires_at"].is_null());
  EXPECT_EQ(job["status"], "expired");
  EXPECT_EQ(job["name"], "Summer photos");  // the raw name: JSON needs no other escaping
}

TEST(WebhookPayloads, SlackMessage) {
  const json j = body(WebhookType::slack, completed_event());
  const std::string text = j["text"];
  EXPECT_NE(text.find("Job completed: Summer photos"), std::string::npos) << text;
  EXPECT_NE(text.find("12 of 12 converted"), std::string::npos) << text;
  EXPECT_NE(text.find("12.4 MB -> 3.1 MB (-75%)"), std::string::npos) << text;

  const json& blocks = j["blocks"];
  ASSERT_EQ(blocks.size(), 4u) << blocks.dump(2);
  EXPECT_EQ(blocks[0]["type"], "header");
  EXPECT_EQ(blocks[0]["text"]["type"], "plain_text");
  EXPECT_EQ(blocks[0]["text"]["text"], "\xE2\x9C\x85 Job completed: Summer photos");
  EXPECT_EQ(blocks[1]["type"], "section");
  const json& fields = blocks[1]["fields"];
  ASSERT_EQ(fields.size(), 5u);
  EXPECT_EQ(fields[0], json::parse(R"({"type":"mrkdwn","text":"*Job*\nSummer photos"})"));
  EXPECT_EQ(fields[1]["text"], "*Status*\nDone");
  EXPECT_EQ(fields[2]["text"], "*Images*\n12 of 12 converted");
  EXPECT_EQ(fields[3]["text"], "*Size*\n12.4 MB -> 3.1 MB (-75%)");
  EXPECT_EQ(fields[4]["text"], "*Duration*\n1 min 23 s");
  EXPECT_EQ(blocks[2]["type"], "actions");
  EXPECT_EQ(blocks[2]["elements"][0]["type"], "button");
  EXPECT_EQ(blocks[2]["elements"][0]["url"], completed_event().download_url);
  EXPECT_EQ(blocks[3]["type"], "context");
  EXPECT_EQ(blocks[3]["elements"][0]["text"],
            "Download available until <!date^1714651200^{date_short_pretty} "
            "{time}|2024-05-02T12:00:00.000Z>");
}

TEST(WebhookPayloads, SlackWithoutDownloadOrDuration) {
  WebhookEvent event = completed_event();
  event.type = "job.failed";
  event.job.status = JobStatus::failed;
  event.job.done = 0;
  event.job.failed = 12;
  event.job.bytes_out = 0;
  event.job.finished_at.reset();
  event.download_url.clear();
  event.download_expires_at.reset();
  const json j = body(WebhookType::slack, event);
  ASSERT_EQ(j["blocks"].size(), 2u) << j.dump(2);
  EXPECT_EQ(j["blocks"][0]["text"]["text"], "\xE2\x9D\x8C Job failed: Summer photos");
  EXPECT_EQ(j["blocks"][1]["fields"].size(), 4u);
  EXPECT_EQ(j["blocks"][1]["fields"][2]["text"], "*Images*\n0 of 12 converted, 12 failed");
  EXPECT_EQ(j["blocks"][1]["fields"][3]["text"], "*Size*\n12.4 MB -> 0 B (-100%)");
}

TEST(WebhookPayloads, SlackEscapesTheJobName) {
  WebhookEvent event = completed_event();
  event.job.name = "<!channel> *bold* & <https://evil.example|click>";
  const json j = body(WebhookType::slack, event);
  const std::string field = j["blocks"][1]["fields"][0]["text"];
  const std::string zw = "\xE2\x80\x8B";
  EXPECT_EQ(field, "*Job*\n&lt;!channel&gt; *" + zw + "bold*" + zw +
                       " &amp; &lt;https://evil.example|click&gt;");
  const std::string text = j["text"];
  EXPECT_EQ(text.find("<!channel>"), std::string::npos) << text;
  EXPECT_EQ(text.find("<https://evil"), std::string::npos) << text;
  // The header is plain_text, where Slack formats nothing: the name as given.
  EXPECT_NE(std::string(j["blocks"][0]["text"]["text"]).find("<!channel> *bold*"),
            std::string::npos);
}

TEST(WebhookPayloads, DiscordMessage) {
  const json j = body(WebhookType::discord, completed_event());
  EXPECT_EQ(j["content"], "\xE2\x9C\x85 Job completed: Summer photos");
  EXPECT_EQ(j["allowed_mentions"], json::parse(R"({"parse":[]})"));
  ASSERT_EQ(j["embeds"].size(), 1u);
  const json& embed = j["embeds"][0];
  EXPECT_EQ(embed["title"], "Job completed: Summer photos");
  EXPECT_EQ(embed["description"], "12 of 12 converted\n12.4 MB -> 3.1 MB (-75%)");
  EXPECT_EQ(embed["url"], completed_event().download_url);
  EXPECT_EQ(embed["color"], 0x2ECC71);
  EXPECT_EQ(embed["timestamp"], "2024-05-01T12:01:23.456Z");
  const json& fields = embed["fields"];
  ASSERT_EQ(fields.size(), 5u) << fields.dump(2);
  EXPECT_EQ(fields[0], json::parse(R"({"name":"Status","value":"Done","inline":true})"));
  EXPECT_EQ(fields[3]["value"], "1 min 23 s");
  EXPECT_EQ(fields[4]["name"], "Download");
  EXPECT_EQ(fields[4]["value"],
            "[Download ZIP](" + completed_event().download_url + ") until <t:1714651200:f>");
}

TEST(WebhookPayloads, DiscordColorsFollowTheOutcome) {
  WebhookEvent event = completed_event();
  event.job.status = JobStatus::partial;
  event.job.failed = 2;
  event.job.done = 10;
  EXPECT_EQ(body(WebhookType::discord, event)["embeds"][0]["color"], 0xF1C40F);
  EXPECT_EQ(body(WebhookType::discord, event)["embeds"][0]["title"],
            "Job completed with failures: Summer photos");
  event.type = "job.failed";
  event.job.status = JobStatus::failed;
  EXPECT_EQ(body(WebhookType::discord, event)["embeds"][0]["color"], 0xE74C3C);
  event.type = "job.expired";
  event.job.status = JobStatus::expired;
  event.download_url.clear();
  const json expired = body(WebhookType::discord, event);
  EXPECT_EQ(expired["embeds"][0]["color"], 0x95A5A6);
  EXPECT_FALSE(expired["embeds"][0].contains("url"));
  EXPECT_EQ(expired["embeds"][0]["title"], "Job results expired: Summer photos");
  event.type = "webhook.test";
  EXPECT_EQ(body(WebhookType::discord, event)["embeds"][0]["title"],
            "Test from ImageSprint: Summer photos");
}

TEST(WebhookPayloads, DiscordEscapesTheJobName) {
  WebhookEvent event = completed_event();
  event.job.name = "@everyone **big** [x](https://evil.example) `c` <@123>";
  const json j = body(WebhookType::discord, event);
  EXPECT_EQ(j["content"],
            "\xE2\x9C\x85 Job completed: \\@everyone \\*\\*big\\*\\* "
            "\\[x\\]\\(https\\://evil.example\\) \\`c\\` \\<\\@123\\>");
}

TEST(WebhookPayloads, LongNamesAreCutOnCodePoints) {
  WebhookEvent event = completed_event();
  std::string name;
  for (int i = 0; i < 200; ++i) name += "사";  // 3 bytes each
  event.job.name = name;
  const json slack = body(WebhookType::slack, event);
  const std::string header = slack["blocks"][0]["text"]["text"];
  EXPECT_LE(header.size(), 150u * 3u);
  EXPECT_TRUE(header.ends_with("\xE2\x80\xA6")) << header;
  const std::string field = slack["blocks"][1]["fields"][0]["text"];
  EXPECT_EQ(field, "*Job*\n" + name.substr(0, 99 * 3) + "\xE2\x80\xA6");
  const json discord = body(WebhookType::discord, event);
  EXPECT_EQ(discord["embeds"][0]["title"],
            "Job completed: " + name.substr(0, 99 * 3) + "\xE2\x80\xA6");
  // The generic event carries the name whole.
  EXPECT_EQ(body(WebhookType::generic, event)["data"]["job"]["name"], name);
}

TEST(WebhookPayloads, InvalidUtf8IsReplacedNotThrown) {
  WebhookEvent event = completed_event();
  event.job.name = "bad \xFF\xFE name";
  for (const auto type : {WebhookType::slack, WebhookType::discord, WebhookType::generic}) {
    const std::string text = webhook_body(type, event);
    EXPECT_TRUE(json::accept(text)) << to_string(type);
    EXPECT_NE(text.find("\xEF\xBF\xBD"), std::string::npos) << to_string(type);
  }
}

TEST(WebhookPayloads, HumanSizes) {
  EXPECT_EQ(human_size(0), "0 B");
  EXPECT_EQ(human_size(999), "999 B");
  EXPECT_EQ(human_size(1000), "1.0 kB");
  EXPECT_EQ(human_size(1'536), "1.5 kB");
  EXPECT_EQ(human_size(999'949), "999.9 kB");
  EXPECT_EQ(human_size(999'999), "1.0 MB");
  EXPECT_EQ(human_size(12'400'000), "12.4 MB");
  EXPECT_EQ(human_size(3'210'000'000), "3.2 GB");
  EXPECT_EQ(size_change(12'400'000, 3'100'000), "12.4 MB -> 3.1 MB (-75%)");
  EXPECT_EQ(size_change(1'000'000, 1'120'000), "1.0 MB -> 1.1 MB (+12%)");
  EXPECT_EQ(size_change(1'000, 1'000), "1.0 kB -> 1.0 kB (0%)");
  EXPECT_EQ(size_change(0, 0), "0 B -> 0 B");
}

TEST(WebhookPayloads, HumanDurations) {
  EXPECT_EQ(human_duration(0), "0 ms");
  EXPECT_EQ(human_duration(850), "850 ms");
  EXPECT_EQ(human_duration(12'340), "12.3 s");
  EXPECT_EQ(human_duration(59'949), "59.9 s");
  EXPECT_EQ(human_duration(59'950), "1 min 00 s");
  EXPECT_EQ(human_duration(245'000), "4 min 05 s");
  EXPECT_EQ(human_duration(7'380'000), "2 h 03 min");
  EXPECT_EQ(human_duration(-5), "0 ms");
}

TEST(WebhookPayloads, TruncateUtf8) {
  EXPECT_EQ(truncate_utf8("hello", 5), "hello");
  EXPECT_EQ(truncate_utf8("hello!", 5), "hell\xE2\x80\xA6");
  EXPECT_EQ(truncate_utf8("사진사진", 3), "사진\xE2\x80\xA6");
  EXPECT_EQ(truncate_utf8("📷📷📷", 3), "📷📷📷");
  EXPECT_EQ(truncate_utf8("ab", 0), "");
  EXPECT_EQ(truncate_utf8("", 3), "");
}

}  // namespace
}  // namespace imagesprint

namespace imagesprint {
namespace {

WebhookEvent partial_event(int failures) {
  WebhookEvent event = completed_event();
  event.job.status = JobStatus::partial;
  event.job.done = 12 - failures;
  event.job.failed = failures;
  for (int i = 0; i < failures; ++i) {
    ImageRecord image;
    image.index = 3 + i;
    image.status = ImageStatus::failed;
    image.source_name = "broken_" + std::to_string(i) + ".jpg";
    image.error_code = "corrupt_image";
    image.error_message = "the image data is truncated";
    event.failed_images.push_back(image);
  }
  return event;
}

TEST(WebhookPayloads, APartialJobListsItsFailedImagesWithTheirReasons) {
  const json generic = body(WebhookType::generic, partial_event(2));
  EXPECT_EQ(generic["data"]["job"]["failed"], 2);
  EXPECT_EQ(generic["data"]["failed_images"], json::parse(R"([
    {"index": 3, "name": "broken_0.jpg",
     "error": {"code": "corrupt_image", "message": "the image data is truncated"}},
    {"index": 4, "name": "broken_1.jpg",
     "error": {"code": "corrupt_image", "message": "the image data is truncated"}}])"));
  // A job without failures has an empty list, not a missing one.
  EXPECT_EQ(body(WebhookType::generic, completed_event())["data"]["failed_images"], json::array());

  // Slack: a section after the facts, the first failures and how many more.
  const json slack = body(WebhookType::slack, partial_event(7));
  const std::string failed = slack["blocks"][2]["text"]["text"];
  EXPECT_TRUE(
      failed.starts_with("*Failed*\n\xE2\x80\xA2 broken_\xE2\x80\x8B"
                         "0.jpg: the image"))
      << failed;
  EXPECT_NE(failed.find("broken_\xE2\x80\x8B"
                        "4.jpg"),
            std::string::npos)
      << failed;
  EXPECT_EQ(failed.find("broken_\xE2\x80\x8B"
                        "5.jpg"),
            std::string::npos)
      << failed;
  EXPECT_TRUE(failed.ends_with("and 2 more")) << failed;
  EXPECT_EQ(body(WebhookType::slack, completed_event())["blocks"].size(), 4u);

  // Discord: a "Failed" field, escaped.
  const json discord = body(WebhookType::discord, partial_event(1));
  bool listed = false;
  for (const json& field : discord["embeds"][0]["fields"]) {
    if (field["name"] != "Failed") continue;
    listed = true;
    EXPECT_EQ(field["value"], "- broken\\_0.jpg: the image data is truncated");
  }
  EXPECT_TRUE(listed) << discord.dump(2);
}

}  // namespace
}  // namespace imagesprint
