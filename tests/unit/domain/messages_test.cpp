// The message catalogue: complete in both languages, the same parameters in each, the codes the
// service sends all present, templates filled and numbers formatted by language.
#include "domain/messages.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "domain/error.hpp"

namespace imagesprint {
namespace {

std::set<std::string> placeholders(std::string_view text) {
  std::set<std::string> names;
  for (std::size_t open = text.find('{'); open != std::string_view::npos;
       open = text.find('{', open + 1)) {
    const std::size_t close = text.find('}', open);
    names.insert(std::string(text.substr(open + 1, close - open - 1)));
  }
  return names;
}

bool has_hangul(std::string_view text) {
  // Hangul syllables U+AC00..U+D7A3 are EA B0 80 .. ED 9E A3 in UTF-8.
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b >= 0xEA && b <= 0xED) return true;
  }
  return false;
}

TEST(MessageCatalogue, EveryKeyHasBothLanguagesWithTheSameParameters) {
  ASSERT_GT(message_keys().size(), 40u);
  for (const std::string_view key : message_keys()) {
    const auto en = message_template(key, Language::en);
    const auto ko = message_template(key, Language::ko);
    EXPECT_FALSE(en.empty()) << key;
    EXPECT_TRUE(has_hangul(ko)) << key << ": the Korean text is not Korean: " << ko;
    EXPECT_EQ(placeholders(en), placeholders(ko)) << key;
  }
}

TEST(MessageCatalogue, EveryErrorCodeHasASentenceAndAnImageSentence) {
  for (int c = 0; c <= static_cast<int>(ErrorCode::internal); ++c) {
    const std::string code(to_string(static_cast<ErrorCode>(c)));
    EXPECT_TRUE(has_message("error." + code)) << code;
    EXPECT_TRUE(has_message("image." + code)) << code;
  }
}

TEST(MessageCatalogue, FillsParametersInEachLanguage) {
  const MessageParams params = {{"name", "여름 사진"}, {"failed", 2}, {"total", 1234}};
  EXPECT_EQ(render_message("notification.JOB_PARTIAL", params, Language::en),
            "Job \"여름 사진\" finished with 2 of 1,234 images failed");
  EXPECT_EQ(render_message("notification.JOB_PARTIAL", params, Language::ko),
            "작업 \"여름 사진\" 종료: 이미지 1,234장 중 2장 실패");
}

TEST(MessageCatalogue, AMissingParameterOrKeyRendersNothing) {
  EXPECT_EQ(render_message("notification.JOB_PARTIAL", {{"name", "x"}}, Language::en),
            std::nullopt);
  EXPECT_EQ(render_message("notification.JOB_PARTIAL", nullptr, Language::ko), std::nullopt);
  EXPECT_EQ(render_message("no.such.key", MessageParams::object(), Language::en), std::nullopt);
}

TEST(MessageCatalogue, FormatsBytesDurationsAndCounts) {
  EXPECT_EQ(render_message("error.quota_exceeded.max_stored_bytes",
                           {{"used", 1610612736}, {"max", 10737418240}}, Language::en),
            "max_stored_bytes: the account's jobs already hold 1.5 GiB; at most 10 GiB may be "
            "kept (delete older jobs)");
  EXPECT_EQ(format_bytes(20 * 1024 * 1024, Language::en), "20 MiB");
  EXPECT_EQ(format_bytes(512, Language::en), "512 bytes");
  EXPECT_EQ(format_bytes(512, Language::ko), "512바이트");
  EXPECT_EQ(format_duration(7200, Language::en), "2 hours");
  EXPECT_EQ(format_duration(7200, Language::ko), "2시간");
  EXPECT_EQ(format_duration(5400, Language::en), "1 hour 30 minutes");
  EXPECT_EQ(format_duration(5400, Language::ko), "1시간 30분");
  EXPECT_EQ(format_duration(90'061, Language::en), "1 day 1 hour");
  EXPECT_EQ(format_duration(45, Language::en), "45 seconds");
  EXPECT_EQ(format_duration(60, Language::en), "1 minute");
  EXPECT_EQ(format_count(1234567, Language::ko), "1,234,567");
  EXPECT_EQ(format_count(-1000, Language::en), "-1,000");
  EXPECT_EQ(format_pixels(100'000'000, Language::en), "100 MP");
  EXPECT_EQ(render_message("notification.RESULT_EXPIRING", {{"name", "a"}, {"remaining", 7200}},
                           Language::ko),
            "작업 \"a\"의 결과가 2시간 후 삭제됩니다. 그 전에 내려받으세요");
}

}  // namespace
}  // namespace imagesprint
