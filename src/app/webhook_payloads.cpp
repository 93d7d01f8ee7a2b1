#include "app/webhook_payloads.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/json_views.hpp"
#include "domain/manifest.hpp"
#include "domain/untrusted_text.hpp"

namespace imagesprint {
namespace {

using Json = nlohmann::ordered_json;

// Slack Block Kit and Discord limits (characters) that our text could reach.
constexpr std::size_t SLACK_HEADER_MAX = 150;
constexpr std::size_t SLACK_BUTTON_URL_MAX = 3000;
constexpr std::size_t DISCORD_TITLE_MAX = 256;
constexpr std::size_t DISCORD_URL_MAX = 2048;
constexpr std::size_t DISCORD_FIELD_VALUE_MAX = 1024;

constexpr int COLOR_DONE = 0x2ECC71;     // green
constexpr int COLOR_PARTIAL = 0xF1C40F;  // amber
constexpr int COLOR_FAILED = 0xE74C3C;   // red
constexpr int COLOR_EXPIRED = 0x95A5A6;  // grey
constexpr int COLOR_OTHER = 0x3498DB;    // blue

/// The facts every format shows, worded once.
struct Summary {
  std::string emoji;
  std::string title;   // "Job completed"
  std::string name;    // the job name, cut to WEBHOOK_MAX_NAME_CHARS, not escaped
  std::string status;  // "Done"
  std::string images;  // "10 of 12 converted, 2 failed"
  std::string sizes;   // "12.4 MB -> 3.1 MB (-75%)"
  std::optional<std::string> duration;
  int color = COLOR_OTHER;
};

Summary summarize(const WebhookEvent& event) {
  const Job& job = event.job;
  Summary s;
  s.name = truncate_utf8(job.name.empty() ? job.id : job.name, WEBHOOK_MAX_NAME_CHARS);
  std::string status(to_string(job.status));
  if (!status.empty()) status[0] = static_cast<char>(status[0] - 'a' + 'A');
  s.status = status;
  s.images = std::to_string(job.done) + " of " + std::to_string(job.total) + " converted";
  if (job.failed > 0) s.images += ", " + std::to_string(job.failed) + " failed";
  s.sizes = size_change(job.bytes_in, job.bytes_out);
  if (job.started_at && job.finished_at) {
    s.duration = human_duration(*job.finished_at - *job.started_at);
  }
  if (event.type == WEBHOOK_TEST_EVENT) {
    s.emoji = "\xF0\x9F\x94\x94";  // bell
    s.title = "Test from ImageSprint";
  } else if (event.type == "job.expired") {
    s.emoji = "\xE2\x8C\x9B";  // hourglass
    s.title = "Job results expired";
    s.color = COLOR_EXPIRED;
  } else if (event.type == "job.failed" || job.status == JobStatus::failed) {
    s.emoji = "\xE2\x9D\x8C";  // cross mark
    s.title = "Job failed";
    s.color = COLOR_FAILED;
  } else if (job.status == JobStatus::partial) {
    s.emoji = "\xE2\x9A\xA0\xEF\xB8\x8F";  // warning sign
    s.title = "Job completed with failures";
    s.color = COLOR_PARTIAL;
  } else if (event.type == "job.completed") {
    s.emoji = "\xE2\x9C\x85";  // check mark
    s.title = "Job completed";
    s.color = COLOR_DONE;
  } else {
    s.emoji = "\xF0\x9F\x94\x94";
    s.title = event.type;
  }
  return s;
}

/// The first failures as lines "name: reason" in a chat's markup (`escape`), then "and N more";
/// each line cut so one long name cannot crowd out the rest.
template <typename Escape>
std::string failure_lines(const WebhookEvent& event, const std::string& bullet, Escape escape) {
  std::string text;
  const std::size_t shown = std::min(event.failed_images.size(), WEBHOOK_CHAT_FAILED_IMAGES);
  for (std::size_t i = 0; i < shown; ++i) {
    const ImageRecord& image = event.failed_images[i];
    if (!text.empty()) text += "\n";
    text += bullet + escape(truncate_utf8(image.source_name, 60)) + ": " +
            escape(truncate_utf8(
                image.error_message.empty() ? image.error_code : image.error_message, 120));
  }
  const int more = event.job.failed - static_cast<int>(shown);
  if (!text.empty() && more > 0) text += "\nand " + std::to_string(more) + " more";
  return text;
}

std::int64_t unix_seconds(UnixMillis millis) {
  return millis / 1000;
}

std::string slack_body(const WebhookEvent& event) {
  const Summary s = summarize(event);
  const std::string name = escape_slack_mrkdwn(s.name);
  Json fields = Json::array();
  const auto field = [&](std::string_view label, const std::string& value) {
    fields.push_back({{"type", "mrkdwn"}, {"text", "*" + std::string(label) + "*\n" + value}});
  };
  field("Job", name);
  field("Status", s.status);
  field("Images", s.images);
  field("Size", s.sizes);
  if (s.duration) field("Duration", *s.duration);

  Json blocks = Json::array();
  // plain_text: Slack formats nothing in it, so the name goes in as it is.
  blocks.push_back(
      {{"type", "header"},
       {"text",
        {{"type", "plain_text"},
         {"text", truncate_utf8(s.emoji + " " + s.title + ": " + s.name, SLACK_HEADER_MAX)},
         {"emoji", true}}}});
  blocks.push_back({{"type", "section"}, {"fields", std::move(fields)}});
  if (const auto failures = failure_lines(event, "\xE2\x80\xA2 ", escape_slack_mrkdwn);
      !failures.empty()) {
    blocks.push_back(
        {{"type", "section"},
         {"text", {{"type", "mrkdwn"}, {"text", truncate_utf8("*Failed*\n" + failures, 2900)}}}});
  }
  if (!event.download_url.empty() && event.download_url.size() <= SLACK_BUTTON_URL_MAX) {
    blocks.push_back({{"type", "actions"},
                      {"elements",
                       {{{"type", "button"},
                         {"text", {{"type", "plain_text"}, {"text", "Download ZIP"}}},
                         {"url", event.download_url},
                         {"style", "primary"}}}}});
  }
  if (event.download_expires_at) {
    // Slack shows <!date^...> in the reader's time zone; the text after | is the fallback.
    const std::string text = "Download available until <!date^" +
                             std::to_string(unix_seconds(*event.download_expires_at)) +
                             "^{date_short_pretty} {time}|" + iso8601(*event.download_expires_at) +
                             ">";
    blocks.push_back({{"type", "context"}, {"elements", {{{"type", "mrkdwn"}, {"text", text}}}}});
  }
  // The notification text (and what clients without blocks show).
  const std::string text =
      s.emoji + " " + s.title + ": " + name + " \xE2\x80\x94 " + s.images + ", " + s.sizes;
  return Json{{"text", text}, {"blocks", std::move(blocks)}}.dump(-1, ' ', false,
                                                                  Json::error_handler_t::replace);
}

std::string discord_body(const WebhookEvent& event) {
  const Summary s = summarize(event);
  const std::string name = escape_discord_markdown(s.name);
  Json fields = Json::array();
  const auto field = [&](std::string_view label, const std::string& value) {
    fields.push_back({{"name", label}, {"value", value}, {"inline", true}});
  };
  field("Status", s.status);
  field("Images", s.images);
  field("Size", s.sizes);
  if (s.duration) field("Duration", *s.duration);
  if (const auto failures = failure_lines(event, "- ", escape_discord_markdown);
      !failures.empty()) {
    fields.push_back({{"name", "Failed"},
                      {"value", truncate_utf8(failures, DISCORD_FIELD_VALUE_MAX)},
                      {"inline", false}});
  }
  const bool linkable = !event.download_url.empty() &&
                        event.download_url.size() <= DISCORD_URL_MAX &&
                        event.download_url.find_first_of(" ()<>") == std::string::npos;
  if (linkable) {
    std::string value = "[Download ZIP](" + event.download_url + ")";
    if (event.download_expires_at) {
      // Discord renders <t:seconds:f> in the reader's time zone.
      value += " until <t:" + std::to_string(unix_seconds(*event.download_expires_at)) + ":f>";
    }
    if (value.size() <= DISCORD_FIELD_VALUE_MAX) {
      fields.push_back({{"name", "Download"}, {"value", value}, {"inline", false}});
    }
  }
  Json embed = {
      {"title", truncate_utf8(s.title + ": " + name, DISCORD_TITLE_MAX)},
      {"description", s.images + "\n" + s.sizes},
  };
  if (linkable) embed["url"] = event.download_url;
  embed["color"] = s.color;
  embed["fields"] = std::move(fields);
  embed["footer"] = {{"text", "ImageSprint"}};
  embed["timestamp"] = iso8601(event.created_at);
  return Json{{"content", s.emoji + " " + s.title + ": " + name},
              {"embeds", Json::array({std::move(embed)})},
              // No @everyone, @here, user or role pings, whatever the text says.
              {"allowed_mentions", {{"parse", Json::array()}}}}
      .dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json time_or_null(const std::optional<UnixMillis>& t) {
  return t ? Json(iso8601(*t)) : Json();
}

std::string generic_body(const WebhookEvent& event) {
  const Job& job = event.job;
  // The job as the API shows it (one shape everywhere), without the options, plus the link.
  Json data_job = job_json(job);
  data_job.erase("options");
  // The event's version 1 shape: what "convert again" can do is the app's business, not the
  // receiver's.
  data_job.erase("sources_kept");
  data_job["duration_ms"] =
      job.started_at && job.finished_at ? Json(*job.finished_at - *job.started_at) : Json();
  data_job["download_url"] = event.download_url.empty() ? Json() : Json(event.download_url);
  data_job["download_expires_at"] = time_or_null(event.download_expires_at);
  // Which images failed and why (a partial or failed job; empty otherwise).
  Json failed = Json::array();
  for (const ImageRecord& image : event.failed_images) {
    failed.push_back({{"index", image.index},
                      {"name", image.source_name},
                      {"error", {{"code", image.error_code}, {"message", image.error_message}}}});
  }
  return Json{{"version", WEBHOOK_EVENT_VERSION},
              {"id", event.id},
              {"type", event.type},
              {"created_at", iso8601(event.created_at)},
              {"data", {{"job", std::move(data_job)}, {"failed_images", std::move(failed)}}}}
      .dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

std::string webhook_body(WebhookType type, const WebhookEvent& event) {
  switch (type) {
    case WebhookType::slack:
      return slack_body(event);
    case WebhookType::discord:
      return discord_body(event);
    case WebhookType::generic:
      return generic_body(event);
  }
  return generic_body(event);
}

std::string human_size(std::int64_t bytes) {
  if (bytes < 1000) return std::to_string(bytes) + " B";
  static constexpr const char* UNITS[] = {"kB", "MB", "GB", "TB", "PB"};
  double value = static_cast<double>(bytes) / 1000.0;
  std::size_t unit = 0;
  while (value >= 999.95 && unit + 1 < std::size(UNITS)) {
    value /= 1000.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", value, UNITS[unit]);
  return text;
}

std::string size_change(std::int64_t before, std::int64_t after) {
  std::string out = human_size(before) + " -> " + human_size(after);
  if (before > 0) {
    const auto percent = static_cast<long long>(
        std::llround(static_cast<double>(after - before) * 100.0 / static_cast<double>(before)));
    out += " (" + (percent > 0 ? "+" + std::to_string(percent) : std::to_string(percent)) + "%)";
  }
  return out;
}

std::string human_duration(std::int64_t millis) {
  if (millis < 0) millis = 0;
  char text[48];
  if (millis < 1000) {
    std::snprintf(text, sizeof text, "%lld ms", static_cast<long long>(millis));
  } else if (millis < 59'950) {
    std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(millis) / 1000.0);
  } else if (millis < 3'600'000) {
    const long long seconds = (millis + 500) / 1000;
    std::snprintf(text, sizeof text, "%lld min %02lld s", seconds / 60, seconds % 60);
  } else {
    const long long minutes = (millis + 30'000) / 60'000;
    std::snprintf(text, sizeof text, "%lld h %02lld min", minutes / 60, minutes % 60);
  }
  return text;
}

std::string truncate_utf8(std::string_view text, std::size_t max_chars) {
  static constexpr std::string_view ELLIPSIS = "\xE2\x80\xA6";
  std::string valid = to_valid_utf8(text);
  if (code_points(valid) <= max_chars) return valid;
  if (max_chars == 0) return {};
  return cut_code_points(valid, max_chars - 1) + std::string(ELLIPSIS);
}

std::string escape_slack_mrkdwn(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '*':
      case '_':
      case '~':
      case '`':
        out += c;
        out += "\xE2\x80\x8B";  // zero-width space
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string escape_discord_markdown(std::string_view text) {
  static constexpr std::string_view SPECIAL = "\\*_~`|>#-[]()<@:";
  std::string out;
  out.reserve(text.size() + 8);
  for (const char c : text) {
    if (SPECIAL.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace imagesprint
