#include "adapters/http/header_params.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace imagesprint::http {
namespace {

TEST(HeaderParams, ParsesValueAndParameters) {
  const auto v =
      parse_header_value(R"(form-data; name="files"; filename="a b;c.jpg";  X-Extra = token ;)");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->value, "form-data");
  ASSERT_EQ(v->params.size(), 3u);
  EXPECT_EQ(*v->param("name"), "files");
  EXPECT_EQ(*v->param("filename"), "a b;c.jpg") << "a ';' inside quotes is text";
  EXPECT_EQ(*v->param("x-extra"), "token") << "names are case-insensitive";
  EXPECT_EQ(v->param("missing"), nullptr);

  const auto type = parse_header_value("Multipart/Form-Data;boundary=----WebKit123");
  ASSERT_TRUE(type);
  EXPECT_EQ(type->value, "multipart/form-data");
  EXPECT_EQ(*type->param("boundary"), "----WebKit123") << "values keep their case";
}

TEST(HeaderParams, QuotedStringsEscapeOnlyQuoteAndBackslash) {
  const auto v = parse_header_value(R"(form-data; a="say \"hi\""; b="C:\dir\x.jpg"; c="\\")");
  ASSERT_TRUE(v);
  EXPECT_EQ(*v->param("a"), R"(say "hi")");
  EXPECT_EQ(*v->param("b"), R"(C:\dir\x.jpg)") << "Windows paths from old browsers survive";
  EXPECT_EQ(*v->param("c"), R"(\)");
  EXPECT_EQ(*parse_header_value("form-data; n=\"\"")->param("n"), "");
  EXPECT_EQ(*parse_header_value("form-data; n=\"\xea\xb0\x80.jpg\"")->param("n"),
            "\xea\xb0\x80.jpg")
      << "UTF-8 bytes pass through";
}

TEST(HeaderParams, RefusesMalformedValues) {
  for (const std::string& bad : std::vector<std::string>{
           "", ";", "form-data; name", "form-data; name=", "form-data; =x",
           "form-data; name=\"open", "form-data name=x", "form-data; name=a b",
           "form-data; name=x; NAME=y",  // the same parameter twice: ambiguous
           "multipart/", "/x", "form-data; n=\"a\x01b\"", "form-data; n=\"a\"junk"}) {
    EXPECT_EQ(parse_header_value(bad), std::nullopt) << bad;
  }
}

TEST(HeaderParams, DecodesExtendedValues) {
  EXPECT_EQ(decode_ext_value("UTF-8''%e2%82%ac%20rates.txt"), "\xe2\x82\xac rates.txt");
  EXPECT_EQ(decode_ext_value("utf-8'ko'%EC%82%AC%EC%A7%84.jpg"), "\xec\x82\xac\xec\xa7\x84.jpg");
  EXPECT_EQ(decode_ext_value("ISO-8859-1'en'%A3%20rates"), "\xc2\xa3 rates");
  EXPECT_EQ(decode_ext_value("UTF-8''"), "");
  for (const std::string& bad : std::vector<std::string>{
           "%e2%82%ac", "UTF-8'%e2", "UTF-16''%00a", "UTF-8''%e2%82", "UTF-8''%zz", "UTF-8''%4",
           "UTF-8''%", "UTF-8''a b", "UTF-8''%c0%af", "UTF-8''%ed%a0%80", "UTF-8''a\"b"}) {
    EXPECT_EQ(decode_ext_value(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace imagesprint::http
