// Watermarks change pixels inside the chosen 9-grid cell and nowhere far from it.
#include <gtest/gtest.h>

#include "support/convert.hpp"
#include "support/corpus.hpp"
#include "support/images.hpp"

namespace imagesprint {
namespace {

const std::filesystem::path PHOTO = test::corpus("photos/path-2560x1600.jpg");
const nlohmann::json BASE = {{"width", 900}, {"format", "png"}};  // 900x563, lossless output

vips::VImage render(const nlohmann::json& watermark, const std::vector<std::uint8_t>& logo = {}) {
  nlohmann::json j = BASE;
  if (!watermark.is_null()) j["watermark"] = watermark;
  auto result = test::convert_bytes(test::read_bytes(PHOTO), j, logo);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? test::decode_output(result->bytes) : vips::VImage();
}

/// Mean difference in each cell of a 3x3 grid, row-major (TOP_LEFT first).
std::array<double, 9> cell_diffs(const vips::VImage& a, const vips::VImage& b) {
  std::array<double, 9> out{};
  const int cw = a.width() / 3, ch = a.height() / 3;
  for (int i = 0; i < 9; ++i)
    out[i] = test::mean_abs_diff(a, b, (i % 3) * cw, (i / 3) * ch, cw, ch);
  return out;
}

const std::array<const char*, 9> POSITIONS{"TOP_LEFT",    "TOP_CENTER",    "TOP_RIGHT",
                                           "MIDDLE_LEFT", "CENTER",        "MIDDLE_RIGHT",
                                           "BOTTOM_LEFT", "BOTTOM_CENTER", "BOTTOM_RIGHT"};

TEST(Watermark, TextLandsInTheChosenCellOnly) {
  const vips::VImage plain = render(nullptr);
  for (int p = 0; p < 9; ++p) {
    const vips::VImage marked = render(
        {{"text", "ImageSprint"}, {"position", POSITIONS[p]}, {"opacity", 0.9}, {"size", 0.25}});
    const auto diffs = cell_diffs(plain, marked);
    EXPECT_GT(diffs[p], 1.0) << POSITIONS[p];
    for (int other = 0; other < 9; ++other) {
      // Cells not touching the chosen one stay exactly the same.
      const bool neighbour = std::abs(other % 3 - p % 3) <= 1 && std::abs(other / 3 - p / 3) <= 1;
      if (!neighbour) {
        EXPECT_EQ(diffs[other], 0.0) << POSITIONS[p] << " touched cell " << other;
      }
    }
  }
}

TEST(Watermark, OpacityZeroChangesNothing) {
  const vips::VImage plain = render(nullptr);
  const vips::VImage invisible = render({{"text", "ImageSprint"}, {"opacity", 0}});
  EXPECT_EQ(test::mean_abs_diff(plain, invisible), 0.0);
}

TEST(Watermark, OpacityScalesTheInk) {
  const vips::VImage plain = render(nullptr);
  const double faint = test::mean_abs_diff(
      plain, render({{"text", "ImageSprint"}, {"opacity", 0.2}, {"color", "#000000"}}));
  const double strong = test::mean_abs_diff(
      plain, render({{"text", "ImageSprint"}, {"opacity", 1.0}, {"color", "#000000"}}));
  EXPECT_GT(faint, 0.0);
  EXPECT_GT(strong, 2.5 * faint);
}

TEST(Watermark, SizeIsAFractionOfTheWidth) {
  const vips::VImage plain = render(nullptr);
  const double small =
      test::mean_abs_diff(plain, render({{"text", "ImageSprint"}, {"size", 0.1}, {"opacity", 1}}));
  const double large =
      test::mean_abs_diff(plain, render({{"text", "ImageSprint"}, {"size", 0.6}, {"opacity", 1}}));
  EXPECT_GT(large, 4 * small);
}

TEST(Watermark, KoreanTextRendersRealGlyphs) {
  const vips::VImage plain = render(nullptr);
  const vips::VImage ga =
      render({{"text", "가나다라"}, {"position", "CENTER"}, {"opacity", 1}, {"color", "#000000"}});
  const vips::VImage ha =
      render({{"text", "하파타카"}, {"position", "CENTER"}, {"opacity", 1}, {"color", "#000000"}});
  EXPECT_GT(cell_diffs(plain, ga)[4], 1.0);  // ink in the centre cell
  // Without a Hangul font both would be the same row of "missing glyph" boxes.
  EXPECT_GT(cell_diffs(ga, ha)[4], 1.0);
}

TEST(Watermark, MarkupInTextIsShownNotInterpreted) {
  const vips::VImage plain = render(nullptr);
  const vips::VImage marked = render({{"text", "<b>bold & co</b>"}, {"opacity", 1}});
  EXPECT_GT(test::mean_abs_diff(plain, marked), 0.0);
}

TEST(Watermark, ImageLogoPlacedAndTiled) {
  const auto logo = test::read_bytes(test::corpus("edge/with-alpha.png"));
  const vips::VImage plain = render(nullptr);
  const vips::VImage placed =
      render({{"type", "image"}, {"position", "TOP_LEFT"}, {"opacity", 1}, {"size", 0.2}}, logo);
  const auto diffs = cell_diffs(plain, placed);
  EXPECT_GT(diffs[0], 1.0);
  EXPECT_EQ(diffs[8], 0.0);
  const vips::VImage tiled =
      render({{"type", "image"}, {"tile", true}, {"opacity", 1}, {"size", 0.1}}, logo);
  for (double d : cell_diffs(plain, tiled)) {
    EXPECT_GT(d, 1.0);
  }
}

TEST(Watermark, ImageWatermarkWithoutAnImageIsAnError) {
  nlohmann::json j = BASE;
  j["watermark"] = {{"type", "image"}};
  auto result = test::convert_bytes(test::read_bytes(PHOTO), j);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().field, "watermark_image");
  const std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
  auto bad_logo = test::convert_bytes(test::read_bytes(PHOTO), j, {svg.begin(), svg.end()});
  ASSERT_FALSE(bad_logo.ok());
  EXPECT_EQ(bad_logo.error().field, "watermark_image");
  EXPECT_EQ(bad_logo.error().code, ErrorCode::unsupported_format);
}

}  // namespace
}  // namespace imagesprint

namespace imagesprint {
namespace {

TEST(Watermark, ColouredTextOnAGreyImageTurnsItRgb) {
  auto result = test::convert_file(
      test::corpus("edge/G31D.TIF"),
      {{"width", 600},
       {"format", "png"},
       {"watermark", {{"text", "ImageSprint"}, {"color", "#ff0000"}, {"opacity", 1}}}});
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto out = test::decode_output(result->bytes);
  EXPECT_GE(out.bands(), 3);
  // Somewhere the red ink shows.
  const vips::VImage redness = out[0].cast(VIPS_FORMAT_INT) - out[1].cast(VIPS_FORMAT_INT);
  EXPECT_GT(redness.max(), 100);
}

}  // namespace
}  // namespace imagesprint
