#include "domain/untrusted_text.hpp"

#include <gtest/gtest.h>

#include "domain/json_text.hpp"

namespace imagesprint {
namespace {

TEST(UntrustedText, ValidatesUtf8AsTheStandardDefinesIt) {
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("\xed\x95\x9c\xea\xb8\x80 \xf0\x9f\x90\x88"));  // 한글 🐈
  EXPECT_FALSE(is_valid_utf8("\xff\xfe"));
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong "/"
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xc3"));              // cut in a character
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xc0\x80"));         // overlong NUL
  EXPECT_FALSE(is_valid_utf8("\xe0\x80\xaf"));     // overlong "/", three bytes
  EXPECT_FALSE(is_valid_utf8("\x80"));             // a lone continuation byte
  EXPECT_FALSE(is_valid_utf8("\xe2\x28\xa1"));     // a bad continuation
}

TEST(UntrustedText, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(to_valid_utf8("a\xff"
                          "b"),
            "a\xef\xbf\xbd"
            "b");
  EXPECT_TRUE(is_valid_utf8(to_valid_utf8("\xc3\xc3\xa9\xf0\x9f")));
}

TEST(UntrustedText, CutsByCodePointsNeverInsideACharacter) {
  const std::string name = std::string(199, 'a') + "\xc3\xa9.png";
  const std::string cut = cut_code_points(name, 200);
  EXPECT_EQ(cut, std::string(199, 'a') + "\xc3\xa9");
  EXPECT_TRUE(is_valid_utf8(cut));
  EXPECT_EQ(cut_code_points("\xed\x95\x9c\xea\xb8\x80", 1), "\xed\x95\x9c");
}

TEST(UntrustedText, QuotesAShortValidPrefix) {
  EXPECT_EQ(quote_prefix("short"), "\"short\"");
  const std::string quoted = quote_prefix(std::string(1000, 'x') + "\xff", 10);
  EXPECT_EQ(quoted, "\"xxxxxxxxxx\"...");
}

TEST(JsonText, RefusesNestingPastTheLimitWithoutRecursing) {
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  const auto parsed = parse_untrusted_json(deep);
  EXPECT_FALSE(parsed.value);
  EXPECT_NE(parsed.error.find("nested"), std::string::npos);
  const std::string ok = std::string(MAX_JSON_DEPTH, '[') + std::string(MAX_JSON_DEPTH, ']');
  EXPECT_TRUE(parse_untrusted_json(ok).value);
  const std::string one_more =
      std::string(MAX_JSON_DEPTH + 1, '[') + std::string(MAX_JSON_DEPTH + 1, ']');
  EXPECT_FALSE(parse_untrusted_json(one_more).value);
  EXPECT_EQ(parse_untrusted_json("{").error, "not valid JSON");
}

TEST(JsonText, RefusesANameGivenTwiceInOneObject) {
  for (const char* text :
       {R"({"a":1,"a":2})", R"({"o":{"w":1,"w":1}})", R"([{"a":1},{"b":{"x":1,"x":2}}])",
        R"({"a":{"k":1},"b":{"k":2,"k":3}})"}) {
    const auto parsed = parse_untrusted_json(text);
    EXPECT_FALSE(parsed.value) << text;
    EXPECT_NE(parsed.error.find("is given twice"), std::string::npos)
        << text << ": " << parsed.error;
  }
  EXPECT_EQ(parse_untrusted_json(R"({"a":1,"a":2})").error,
            "ambiguous: the name \"a\" is given twice in one object");
  // The same name in different objects, siblings or nested, is no repeat.
  for (const char* text : {R"({"a":{"a":{"a":1}}})", R"([{"a":1},{"a":2}])",
                           R"({"x":{"k":1},"y":{"k":2},"k":[{"k":0}]})", R"({"":1,"k":{"":2}})"}) {
    EXPECT_TRUE(parse_untrusted_json(text).value)
        << text << ": " << parse_untrusted_json(text).error;
  }
}

TEST(JsonText, DumpsInvalidUtf8WithoutThrowing) {
  const nlohmann::json j = {{"name", std::string("bad \xff name")}};
  EXPECT_EQ(dump_json(j), "{\"name\":\"bad \xef\xbf\xbd name\"}");
}

TEST(UntrustedText, MarkupEscapingLeavesNoTagNorEntityOpen) {
  EXPECT_EQ(escape_markup("\"a\" <b> & 'c'"), "&quot;a&quot; &lt;b&gt; &amp; &apos;c&apos;");
  EXPECT_EQ(escape_markup("사진 <span weight=\"bold\">"),
            "사진 &lt;span weight=&quot;bold&quot;&gt;");
  EXPECT_EQ(escape_markup(""), "");
}

}  // namespace
}  // namespace imagesprint
