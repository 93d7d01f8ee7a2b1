// Each fit mode gives the documented output size through the whole engine.
#include <gtest/gtest.h>

#include "imaging/frames.hpp"
#include "support/convert.hpp"
#include "support/corpus.hpp"
#include "support/images.hpp"

namespace imagesprint {
namespace {

// 2725x2225 photo into a 600x600 box.
const std::filesystem::path PHOTO = test::corpus("photos/flickr-2569067123-2725x2225.jpg");

void expect_size(const nlohmann::json& options, int width, int height) {
  auto result = test::convert_file(PHOTO, options);
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto decoded = test::decode_output(result->bytes);
  EXPECT_EQ(decoded.width(), width) << options.dump();
  EXPECT_EQ(decoded.height(), height) << options.dump();
}

TEST(Fit, EveryModeGivesItsDocumentedSize) {
  const nlohmann::json box = {{"width", 600}, {"height", 600}, {"format", "png"}};
  auto with = [&](const char* fit) {
    nlohmann::json j = box;
    j["fit"] = fit;
    return j;
  };
  expect_size(with("contain"), 600, 490);
  expect_size(with("inside"), 600, 490);
  expect_size(with("fill"), 600, 600);
  expect_size(with("cover"), 600, 600);
  expect_size(with("outside"), 735, 600);
}

TEST(Fit, OneDimensionKeepsTheRatio) {
  expect_size({{"width", 720}}, 720, 588);
  expect_size({{"height", 588}}, 720, 588);
}

TEST(Fit, NoUpscaleUnlessEnlarge) {
  const std::filesystem::path small = test::corpus("orientation/Landscape_1.jpg");  // 600x450
  auto kept = test::convert_file(small, {{"width", 1200}});
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->width, 600);
  auto enlarged = test::convert_file(small, {{"width", 1200}, {"enlarge", true}});
  ASSERT_TRUE(enlarged.ok());
  EXPECT_EQ(enlarged->width, 1200);
  EXPECT_EQ(enlarged->height, 900);
}

TEST(Fit, CoverGravityChoosesTheKeptPart) {
  // A wide crop out of the photo: west keeps the left edge, east the right one.
  auto west = test::convert_file(
      PHOTO,
      {{"width", 200}, {"height", 50}, {"fit", "cover"}, {"gravity", "north"}, {"format", "png"}});
  auto south = test::convert_file(
      PHOTO,
      {{"width", 200}, {"height", 50}, {"fit", "cover"}, {"gravity", "south"}, {"format", "png"}});
  ASSERT_TRUE(west.ok() && south.ok());
  EXPECT_GT(
      test::mean_abs_diff(test::decode_output(west->bytes), test::decode_output(south->bytes)),
      5.0);
  for (const char* smart : {"attention", "entropy"}) {
    auto result = test::convert_file(
        PHOTO, {{"width", 300}, {"height", 100}, {"fit", "cover"}, {"gravity", smart}});
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->width, 300);
    EXPECT_EQ(result->height, 100);
  }
}

TEST(Fit, KeepingTheRatioScalesBothAxesByTheDecidingSidesFactor) {
  // 2725x2225 to 720 wide: decoded at half size (1362x1112), then 720/1362 on both axes, the
  // height rounding to 588 (sharp's way). Scaling the height to 588 on its own factor
  // (588/1112) instead stretches it slightly and changes the pixels everywhere.
  auto result = test::convert_file(PHOTO, {{"width", 720}, {"format", "png"}});
  ASSERT_TRUE(result.ok()) << result.error().message;
  const std::vector<std::uint8_t> bytes = test::read_bytes(PHOTO);
  const vips::VImage half = vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "",
                                                          vips::VImage::option()->set("shrink", 2));
  ASSERT_EQ(half.width(), 1362);
  const double scale = 720.0 / half.width();
  const auto resized = [&](double vscale) {
    return half.resize(
        scale, vips::VImage::option()->set("vscale", vscale)->set("kernel", VIPS_KERNEL_LANCZOS3));
  };
  const vips::VImage ours = test::decode_output(result->bytes);
  ASSERT_EQ(ours.width(), 720);
  ASSERT_EQ(ours.height(), 588);
  EXPECT_EQ(test::mean_abs_diff(ours, resized(scale)), 0.0);
  EXPECT_GT(test::mean_abs_diff(ours, resized(588.0 / half.height())), 0.0);
}

TEST(Fit, ThePlannedSizeWinsWhenOneFactorWouldRoundElsewhere) {
  // 1000x3 by the width's factor 0.333 would be 333x1: each side then gets its own factor.
  const vips::VImage strip = vips::VImage::black(1000, 3).cast(VIPS_FORMAT_UCHAR);
  const vips::VImage resized = resize_frames(strip, 1, 333, 2, ScaledBy::width);
  EXPECT_EQ(resized.width(), 333);
  EXPECT_EQ(resized.height(), 2);
  const vips::VImage uniform = resize_frames(strip, 1, 333, 1, ScaledBy::width);
  EXPECT_EQ(uniform.height(), 1);
}

TEST(Fit, ResultsAboveTheDimensionLimitAreRefused) {
  auto result = test::convert_file(
      test::corpus("orientation/Landscape_1.jpg"),
      {{"width", 16000}, {"height", 16000}, {"fit", "outside"}, {"enlarge", true}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::invalid_option);
  EXPECT_EQ(result.error().field, "width");
}

TEST(Fit, OutputsOverThePixelLimitAreRefusedBeforeDecoding) {
  // A 1 KB PNG asked for 16384x16384: 268 MP, over the 100 MP default (it once took 3.3 GB).
  auto result =
      test::convert_file(test::corpus("edge/with-alpha.png"),
                         {{"width", 16384}, {"height", 16384}, {"fit", "fill"}, {"enlarge", true}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::too_many_pixels);
  EXPECT_EQ(result.error().field, "width");
  // Within the limit it converts.
  EXPECT_TRUE(
      test::convert_file(test::corpus("edge/with-alpha.png"),
                         {{"width", 4000}, {"height", 4000}, {"fit", "fill"}, {"enlarge", true}})
          .ok());
}

}  // namespace
}  // namespace imagesprint
