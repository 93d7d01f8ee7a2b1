// Accept-Language: weights read as RFC 9110 defines them, Korean or English picked, English for
// anything else.
#include "adapters/http/accept_language.hpp"

#include <gtest/gtest.h>

namespace imagesprint::http {
namespace {

TEST(AcceptLanguage, PicksKoreanByItsPrimaryTag) {
  EXPECT_EQ(pick_language("ko"), Language::ko);
  EXPECT_EQ(pick_language("ko-KR"), Language::ko);
  EXPECT_EQ(pick_language("KO-kr"), Language::ko);
  EXPECT_EQ(pick_language("ko-KR,en;q=0.5"), Language::ko);
  EXPECT_EQ(pick_language("fr-FR, ko;q=0.9, en;q=0.8"), Language::ko);
}

TEST(AcceptLanguage, TheHighestWeightWinsAndTheFirstOnATie) {
  EXPECT_EQ(pick_language("en;q=0.5, ko;q=0.8"), Language::ko);
  EXPECT_EQ(pick_language("ko;q=0.5, en;q=0.8"), Language::en);
  EXPECT_EQ(pick_language("ko;q=0.501, en;q=0.5"), Language::ko);
  EXPECT_EQ(pick_language("en-US, ko"), Language::en);
  EXPECT_EQ(pick_language("ko , en"), Language::ko);
  EXPECT_EQ(pick_language("ko;q=1.0,en;q=1"), Language::ko);
  EXPECT_EQ(pick_language("ko ; Q=0.7, en;q=0.6"), Language::ko);
}

TEST(AcceptLanguage, ZeroMeansNot) {
  EXPECT_EQ(pick_language("ko;q=0"), Language::en);
  EXPECT_EQ(pick_language("ko;q=0.000, en;q=0.1"), Language::en);
}

TEST(AcceptLanguage, AnythingElseIsEnglish) {
  EXPECT_EQ(pick_language(""), Language::en);
  EXPECT_EQ(pick_language("fr"), Language::en);
  EXPECT_EQ(pick_language("fr-CA, de;q=0.5"), Language::en);
  EXPECT_EQ(pick_language("*"), Language::en);
  EXPECT_EQ(pick_language("kor"), Language::en);
  EXPECT_EQ(pick_language("\x01\xff garbage;;;==,,"), Language::en);
  EXPECT_EQ(pick_language("ko;q=abc"), Language::en);
  EXPECT_EQ(pick_language("ko;q=1.5"), Language::en);
  EXPECT_EQ(pick_language("ko;q=0.1234"), Language::en);
  EXPECT_EQ(pick_language("ko;level=1"), Language::en);
  EXPECT_EQ(pick_language("ko_KR"), Language::en);
  EXPECT_EQ(pick_language(",,,"), Language::en);
}

}  // namespace
}  // namespace imagesprint::http
