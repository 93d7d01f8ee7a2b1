#include "domain/output_names.hpp"

#include <gtest/gtest.h>

namespace imagesprint {
namespace {

TEST(OutputNames, KeepsTheBaseNameWithoutFolders) {
  EXPECT_EQ(safe_base_name("photo.jpg"), "photo");
  EXPECT_EQ(safe_base_name("a/b/photo.final.png"), "photo.final");
  EXPECT_EQ(safe_base_name("C:\\Users\\x\\IMG_0001.HEIC"), "IMG_0001");
  EXPECT_EQ(safe_base_name("사진 01.jpg"), "사진 01");
}

TEST(OutputNames, RemovesWhatIsUnsafe) {
  EXPECT_EQ(safe_base_name("../../etc/passwd"), "passwd");
  EXPECT_EQ(safe_base_name(".."), "image");
  EXPECT_EQ(safe_base_name(".hidden.jpg"), "hidden");
  EXPECT_EQ(safe_base_name("a<b>c:d\"e|f?g*h.jpg"), "a_b_c_d_e_f_g_h");
  EXPECT_EQ(safe_base_name(std::string("tab\there\x01.png")), "tab_here_");
  EXPECT_EQ(safe_base_name(std::string("bad\xff\xfe.jpg")), "bad__");
  EXPECT_EQ(safe_base_name("name. . .jpg"), "name");
  EXPECT_EQ(safe_base_name(""), "image");
  EXPECT_EQ(safe_base_name(".jpg"), "jpg");
}

TEST(OutputNames, BoundedWithoutCuttingUtf8) {
  std::string many;
  for (int i = 0; i < 60; ++i) many += "가";  // 3 bytes each
  const std::string safe = safe_base_name(many + ".jpg");
  EXPECT_LE(safe.size(), 100u);
  EXPECT_EQ(safe.size() % 3, 0u);
}

TEST(OutputNames, UniqueIgnoringCase) {
  const auto names = unique_output_names({{"a.jpg", "webp"},
                                          {"x/a.png", "webp"},
                                          {"A.jpeg", "webp"},
                                          {"a-1.jpg", "webp"},
                                          {"b.jpg", "png"}});
  ASSERT_EQ(names.size(), 5u);
  EXPECT_EQ(names[0], "a.webp");
  EXPECT_EQ(names[1], "a-1.webp");
  EXPECT_EQ(names[2], "A-2.webp");
  EXPECT_EQ(names[3], "a-1-1.webp");
  EXPECT_EQ(names[4], "b.png");
}

TEST(OutputNames, NeverANameTakenAlready) {
  const auto names =
      unique_output_names({{"a.jpg", "jpg"}, {"b.png", "jpg"}}, {"A.JPG", "b.png", "a-1.jpg"});
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], "a-2.jpg");
  EXPECT_EQ(names[1], "b.jpg");
}

}  // namespace
}  // namespace imagesprint
