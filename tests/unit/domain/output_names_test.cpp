#include "domain/output_names.hpp"

#include <gtest/gtest.h>

#include "domain/untrusted_text.hpp"

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

TEST(OutputNames, IllFormedUtf8BecomesUnderscoresByteForByte) {
  // A ZIP entry flagged UTF-8, a filename* and a folder on disk all need well-formed text:
  // a surrogate and an overlong form are as ill-formed as a stray 0xFF.
  EXPECT_EQ(safe_base_name(std::string("a\xed\xa0\x80"
                                       "b.jpg")),
            "a___b");
  EXPECT_EQ(safe_base_name(std::string("\xe0\x80\xaf"
                                       "x.png")),
            "___x");
  EXPECT_EQ(safe_base_name(std::string("\xf4\x90\x80\x80.png")), "____");
  EXPECT_EQ(safe_base_name(std::string("\xf0\x9f\x93\xb7 \xea\xb0\x80.png")),
            "\xf0\x9f\x93\xb7 \xea\xb0\x80");  // 📷 가: well-formed, kept
  for (const std::string name : {"\xed\xbf\xbf.jpg", "\xc0\xaf.jpg", "\xe2\x82.jpg", "\x80x.jpg"}) {
    EXPECT_TRUE(is_valid_utf8(safe_base_name(name))) << name;
  }
}

TEST(OutputNames, NeverANameWindowsKeepsForADevice) {
  // Windows cannot create CON.png or nul.tar.gz: the name before the first dot is the device.
  EXPECT_EQ(safe_base_name("CON.jpg"), "CON_");
  EXPECT_EQ(safe_base_name("nul.png"), "nul_");
  EXPECT_EQ(safe_base_name("Aux"), "Aux_");
  EXPECT_EQ(safe_base_name("prn.final.jpg"), "prn_final");
  EXPECT_EQ(safe_base_name("com1.jpg"), "com1_");
  EXPECT_EQ(safe_base_name("LPT9.jpg"), "LPT9_");
  EXPECT_EQ(safe_base_name("COM\xc2\xb9.jpg"), "COM\xc2\xb9_");  // COM¹
  EXPECT_EQ(safe_base_name("aux .x.jpg"), "aux _x");
  // Names that only begin like one are kept.
  EXPECT_EQ(safe_base_name("CONSOLE.jpg"), "CONSOLE");
  EXPECT_EQ(safe_base_name("com10.jpg"), "com10");
  EXPECT_EQ(safe_base_name("nul-1.jpg"), "nul-1");
  EXPECT_EQ(safe_base_name("lpt.jpg"), "lpt");
  const auto names = unique_output_names({{"con.jpg", "webp"}, {"CON_.png", "webp"}});
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], "con_.webp");
  EXPECT_EQ(names[1], "CON_-1.webp");
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
