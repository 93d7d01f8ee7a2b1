#pragma once
// What a webhook delivery says about a job, per webhook type: a Slack incoming-webhook message,
// a Discord webhook message, or the generic versioned JSON event (signed per Standard Webhooks).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/job.hpp"
#include "domain/webhook.hpp"

namespace imagesprint {

/// The generic event's schema version ("version" in its JSON); raised on an incompatible change.
inline constexpr int WEBHOOK_EVENT_VERSION = 1;
/// The event a test delivery carries (POST .../test), besides the WEBHOOK_EVENTS.
inline constexpr std::string_view WEBHOOK_TEST_EVENT = "webhook.test";
/// Characters of a job name shown in Slack and Discord messages; longer names end in "…".
inline constexpr std::size_t WEBHOOK_MAX_NAME_CHARS = 100;
/// Failed images an event lists (the generic event all of these; Slack and Discord the first
/// WEBHOOK_CHAT_FAILED_IMAGES, then "and N more").
inline constexpr std::size_t WEBHOOK_MAX_FAILED_IMAGES = 100;
inline constexpr std::size_t WEBHOOK_CHAT_FAILED_IMAGES = 5;

struct WebhookEvent {
  std::string id;             // the delivery id ("msg_..."), also the Standard Webhooks webhook-id
  std::string type;           // "job.completed", "job.failed", "job.expired" or "webhook.test"
  UnixMillis created_at = 0;  // when the event happened
  Job job;
  std::string download_url;                       // the ZIP; empty when there is none
  std::optional<UnixMillis> download_expires_at;  // when the download stops working
  /// The images that failed, with their reasons (a partial or failed job), at most
  /// WEBHOOK_MAX_FAILED_IMAGES of them.
  std::vector<ImageRecord> failed_images;
};

/// The JSON body for a webhook of `type` (compact, UTF-8; invalid UTF-8 in user text replaced).
/// - slack: {text, blocks: [header, section with fields, download button, context]}
/// - discord: {content, embeds: [{title, description, url, color, fields, timestamp}],
///   allowed_mentions: {parse: []}}
/// - generic: {version, id, type, created_at, data: {job: {...}, failed_images: [{index, name,
///   error: {code, message}}]}}; Slack and Discord list the first failures with their reasons
/// User text (the job name) is cut to WEBHOOK_MAX_NAME_CHARS and escaped for each format.
std::string webhook_body(WebhookType type, const WebhookEvent& event);

/// "12.4 MB" (decimal units, one decimal from kB up; "512 B" below).
std::string human_size(std::int64_t bytes);
/// "12.4 MB -> 3.1 MB (-75%)"; no percentage when `before` is 0.
std::string size_change(std::int64_t before, std::int64_t after);
/// "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min".
std::string human_duration(std::int64_t millis);
/// At most `max_chars` UTF-8 code points of `text`, ending in "…" when cut.
std::string truncate_utf8(std::string_view text, std::size_t max_chars);
/// Slack mrkdwn: &, < and > as entities (so no <!channel> or <link|label> gets through), and a
/// zero-width space after each of * _ ~ ` so they cannot open bold, italic, strike or code.
std::string escape_slack_mrkdwn(std::string_view text);
/// Discord markdown: a backslash before each character that could format, link or mention.
std::string escape_discord_markdown(std::string_view text);

}  // namespace imagesprint
