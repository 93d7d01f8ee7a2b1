#include "adapters/http/response.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <thread>

#include "adapters/http/sse.hpp"

namespace imagesprint::http {
namespace {

using namespace std::chrono_literals;
using Kind = RangeRequest::Kind;

TEST(HttpRange, ReadsTheThreeForms) {
  auto r = parse_range("bytes=0-99", 1000);
  EXPECT_EQ(r.kind, Kind::satisfiable);
  EXPECT_EQ(r.range.first, 0u);
  EXPECT_EQ(r.range.last, 99u);
  EXPECT_EQ(r.range.length(), 100u);

  r = parse_range("bytes=900-", 1000);
  EXPECT_EQ(r.kind, Kind::satisfiable);
  EXPECT_EQ(r.range.first, 900u);
  EXPECT_EQ(r.range.last, 999u);

  r = parse_range("bytes=-300", 1000);
  EXPECT_EQ(r.kind, Kind::satisfiable);
  EXPECT_EQ(r.range.first, 700u);
  EXPECT_EQ(r.range.last, 999u);

  r = parse_range("bytes=-5000", 1000);  // more than there is: all of it
  EXPECT_EQ(r.range.first, 0u);

  r = parse_range("bytes=990-5000", 1000);  // the end is clamped
  EXPECT_EQ(r.range.last, 999u);
}

TEST(HttpRange, UnsatisfiableAndIgnored) {
  EXPECT_EQ(parse_range("bytes=1000-", 1000).kind, Kind::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=5000-6000", 1000).kind, Kind::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=-0", 1000).kind, Kind::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=0-", 0).kind, Kind::unsatisfiable);
  // Ignored, answered in full: absent, malformed, another unit, several ranges.
  EXPECT_EQ(parse_range("", 1000).kind, Kind::none);
  EXPECT_EQ(parse_range("bytes=abc", 1000).kind, Kind::none);
  EXPECT_EQ(parse_range("bytes=9-1", 1000).kind, Kind::none);
  EXPECT_EQ(parse_range("items=0-1", 1000).kind, Kind::none);
  EXPECT_EQ(parse_range("bytes=0-1,5-6", 1000).kind, Kind::none);
}

TEST(HttpETag, MatchesListsWildcardAndWeakTags) {
  EXPECT_TRUE(etag_matches("\"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("\"x\", W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("*", "\"abc\""));
  EXPECT_FALSE(etag_matches("\"abd\"", "\"abc\""));
  EXPECT_FALSE(etag_matches("", "\"abc\""));
  // If-Match compares strongly: a weak tag on either side never matches.
  EXPECT_TRUE(etag_matches_strongly("\"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches_strongly(" \"x\" , \"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches_strongly("*", "\"abc\""));
  EXPECT_FALSE(etag_matches_strongly("W/\"abc\"", "\"abc\""));
  EXPECT_FALSE(etag_matches_strongly("\"abc\"", "W/\"abc\""));
  EXPECT_FALSE(etag_matches_strongly("\"abd\"", "\"abc\""));
  EXPECT_FALSE(etag_matches_strongly("\"abc\"", ""));
  EXPECT_EQ(file_etag(255, std::chrono::nanoseconds(16)), "\"ff-10\"");
}

TEST(HttpContentDisposition, KeepsUtf8NamesSafely) {
  EXPECT_EQ(content_disposition("photo.webp"), "attachment; filename=\"photo.webp\"");
  EXPECT_EQ(content_disposition("사진 1.jpg"),
            "attachment; filename=\"______ 1.jpg\"; "
            "filename*=UTF-8''%EC%82%AC%EC%A7%84%201.jpg");
  EXPECT_EQ(content_disposition("../../etc/pass\"wd\r\n"),
            "attachment; filename=\"pass_wd\"; filename*=UTF-8''pass%22wd");
  EXPECT_EQ(content_disposition("", "inline"), "inline; filename=\"download\"");
}

TEST(HttpErrorBody, HasTheOneShape) {
  const auto body = nlohmann::json::parse(error_json("invalid_option", "width: too big", "width"));
  EXPECT_EQ(body["error"]["code"], "invalid_option");
  EXPECT_EQ(body["error"]["message"], "width: too big");
  EXPECT_EQ(body["error"]["field"], "width");
  EXPECT_FALSE(nlohmann::json::parse(error_json("x", "y", ""))["error"].contains("field"));

  const auto response =
      Response::error(Error{ErrorCode::unsupported_format, "an SVG", "files", "x"});
  EXPECT_EQ(response.status(), Status::unsupported_media_type);
  const auto parsed = nlohmann::json::parse(*response.body());
  EXPECT_EQ(parsed["error"]["code"], "unsupported_format");
  EXPECT_EQ(parsed["error"]["field"], "files");
  EXPECT_EQ(response.body()->find("\"x\""), std::string::npos);  // detail stays internal
}

TEST(HttpErrorBody, LocalizesFromTheCatalogueKeepingCodeFieldAndParams) {
  Error quota{ErrorCode::quota_exceeded,
              "max_presets: an account has at most 50 presets; delete one first",
              "max_presets",
              {},
              false,
              60,
              "error.quota_exceeded.max_presets",
              {{"max", 50}}};
  auto response = Response::error(quota);
  response.localize(Language::ko);
  auto parsed = nlohmann::json::parse(*response.body());
  EXPECT_EQ(parsed["error"]["code"], "quota_exceeded");
  EXPECT_EQ(parsed["error"]["field"], "max_presets");
  EXPECT_EQ(parsed["error"]["params"], (nlohmann::json{{"max", 50}}));
  EXPECT_EQ(parsed["error"]["message"],
            "max_presets: 프리셋은 계정당 최대 50개입니다. 먼저 하나를 삭제하세요");
  response.localize(Language::en);
  parsed = nlohmann::json::parse(*response.body());
  EXPECT_EQ(parsed["error"]["message"], quota.message);

  // Without a key: English keeps the site's own sentence, Korean gets the code's, after the field.
  auto plain = Response::error(Status::bad_request, "invalid_request", "limit: 1 to 100", "limit");
  plain.localize(Language::en);
  EXPECT_EQ(nlohmann::json::parse(*plain.body())["error"]["message"], "limit: 1 to 100");
  plain.localize(Language::ko);
  parsed = nlohmann::json::parse(*plain.body());
  EXPECT_EQ(parsed["error"]["message"], "limit: 요청이 올바르지 않습니다");
  EXPECT_FALSE(parsed["error"].contains("params"));

  // A body that is not an error is left alone.
  auto ok = Response::json(Status::ok, {{"message", "hello"}});
  ok.localize(Language::ko);
  EXPECT_EQ(nlohmann::json::parse(*ok.body())["message"], "hello");
}

TEST(HttpErrorBody, StatusesForDomainCodes) {
  EXPECT_EQ(status_for(ErrorCode::invalid_request), Status::bad_request);
  EXPECT_EQ(status_for(ErrorCode::unauthorized), Status::unauthorized);
  EXPECT_EQ(status_for(ErrorCode::not_found), Status::not_found);
  EXPECT_EQ(status_for(ErrorCode::conflict), Status::conflict);
  EXPECT_EQ(status_for(ErrorCode::idempotency_key_reused), Status::unprocessable_entity);
  EXPECT_EQ(status_for(ErrorCode::too_large), Status::payload_too_large);
  EXPECT_EQ(status_for(ErrorCode::invalid_option), Status::unprocessable_entity);
  EXPECT_EQ(status_for(ErrorCode::rate_limited), Status::too_many_requests);
  EXPECT_EQ(status_for(ErrorCode::unavailable), Status::service_unavailable);
  EXPECT_EQ(status_for(ErrorCode::internal), Status::internal_server_error);
}

TEST(HttpSseFormat, SplitsDataLinesAndCleansFields) {
  EXPECT_EQ(format_sse_event({"7", "progress", "{\"done\":1}"}),
            "id: 7\nevent: progress\ndata: {\"done\":1}\n\n");
  EXPECT_EQ(format_sse_event({"", "", "a\nb\r\nc\rd"}), "data: a\ndata: b\ndata: c\ndata: d\n\n");
  EXPECT_EQ(format_sse_event({"", "", "end\n"}), "data: end\ndata: \n\n");
  EXPECT_EQ(format_sse_event({"1\n2", "a\rb", ""}), "id: 12\nevent: ab\ndata: \n\n");
  EXPECT_EQ(format_sse_comment("heartbeat"), ": heartbeat\n\n");
  EXPECT_EQ(format_sse_retry(3000ms), "retry: 3000\n\n");
}

/// Drives EventChannel::next() on a strand of a real io_context while another thread pushes.
TEST(HttpEventChannel, DeliversEventsFromAnotherThreadInOrder) {
  net::io_context io;
  auto strand = net::make_strand(io);
  auto channel = std::make_shared<EventChannel>();
  std::vector<std::string> seen;
  bool heartbeat = false;
  net::co_spawn(
      strand,
      [&]() -> net::awaitable<void> {
        for (;;) {
          auto next = co_await channel->next(50ms);
          if (next.kind == EventChannel::Next::Kind::closed) break;
          if (next.kind == EventChannel::Next::Kind::heartbeat) {
            heartbeat = true;
            continue;
          }
          seen.push_back(next.event.id);
        }
      },
      [](const std::exception_ptr& e) {
        if (e) std::rethrow_exception(e);
      });
  std::thread producer([&] {
    std::this_thread::sleep_for(120ms);  // long enough for a heartbeat first
    for (int i = 0; i < 100; ++i) EXPECT_TRUE(channel->push({std::to_string(i), "", "x"}));
    channel->close();
    EXPECT_FALSE(channel->push({"late", "", ""}));
  });
  io.run();
  producer.join();
  ASSERT_EQ(seen.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(seen[i], std::to_string(i));
  EXPECT_TRUE(heartbeat);
}

TEST(HttpEventChannel, TryNextTakesWhatIsQueuedWithoutWaiting) {
  auto channel = std::make_shared<EventChannel>();
  EXPECT_FALSE(channel->try_next());
  channel->push({"1", "", "a"});
  channel->push({"2", "", "b"});
  EXPECT_EQ(channel->try_next()->id, "1");
  EXPECT_EQ(channel->try_next()->id, "2");
  EXPECT_FALSE(channel->try_next());
}

TEST(HttpEventChannel, OverflowClosesAndNotifies) {
  auto channel = std::make_shared<EventChannel>(2);
  int closed = 0;
  channel->on_close([&] { ++closed; });
  EXPECT_TRUE(channel->push({"1", "", ""}));
  EXPECT_TRUE(channel->push({"2", "", ""}));
  EXPECT_FALSE(channel->push({"3", "", ""}));
  EXPECT_TRUE(channel->closed());
  EXPECT_TRUE(channel->overflowed());
  EXPECT_EQ(closed, 1);
  channel->close();
  EXPECT_EQ(closed, 1);
  channel->on_close([&] { ++closed; });  // already closed: called at once
  EXPECT_EQ(closed, 2);
}

}  // namespace
}  // namespace imagesprint::http
