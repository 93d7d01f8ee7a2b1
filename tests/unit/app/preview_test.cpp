// The live preview: the job's geometry planned at full size, rendered small by the same engine.
#include "app/preview.hpp"

#include <gtest/gtest.h>

#include "support/corpus.hpp"

namespace imagesprint {
namespace {

using test::corpus;
using test::read_bytes;

class PreviewTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { init_engine(); }
};

TEST_F(PreviewTest, ReportsTheFullSizeAndRendersItSmall) {
  const auto image = read_bytes(corpus("photos/colorfulcups-2560x1600.jpg"));
  ConversionOptions options;
  options.width = 1280;
  options.format = OutputFormat::webp;
  options.watermark.kind = WatermarkKind::text;
  options.watermark.text = "ImageSprint";
  auto preview = render_preview({image, {}, options});
  ASSERT_TRUE(preview) << preview.error().message;
  EXPECT_EQ(preview->output_width, 1280);
  EXPECT_EQ(preview->output_height, 800);
  EXPECT_EQ(preview->output_format, OutputFormat::webp);
  EXPECT_EQ(preview->width, 640);
  EXPECT_EQ(preview->height, 400);
  EXPECT_GT(preview->estimated_bytes, static_cast<std::int64_t>(preview->bytes.size()));
  auto decoded = probe(preview->bytes);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->format, InputFormat::webp);
  EXPECT_EQ(decoded->width, 640);
  EXPECT_EQ(decoded->height, 400);
}

TEST_F(PreviewTest, KeepsTheCoverCropAndSmallOutputsAsTheyAre) {
  const auto image = read_bytes(corpus("photos/colorfulcups-2560x1600.jpg"));
  ConversionOptions options;
  options.width = 1600;
  options.height = 400;
  options.fit = Fit::cover;
  auto wide = render_preview({image, {}, options});
  ASSERT_TRUE(wide) << wide.error().message;
  EXPECT_EQ(wide->output_width, 1600);
  EXPECT_EQ(wide->output_height, 400);
  EXPECT_EQ(wide->width, 640);
  EXPECT_EQ(wide->height, 160);
  EXPECT_EQ(wide->format, OutputFormat::jpeg);  // "original" resolved to the input's format

  options.width = 300;
  options.height = 300;
  auto small = render_preview({image, {}, options});
  ASSERT_TRUE(small);
  EXPECT_EQ(small->width, 300);  // within the box: rendered at its real size
  EXPECT_EQ(small->height, 300);
  EXPECT_EQ(small->estimated_bytes, static_cast<std::int64_t>(small->bytes.size()));
}

TEST_F(PreviewTest, PlansOnTheUprightImage) {
  const auto image = read_bytes(corpus("orientation/Landscape_6.jpg"));
  const auto upright = read_bytes(corpus("orientation/Landscape_1.jpg"));
  auto turned = render_preview({image, {}, {}});
  auto plain = render_preview({upright, {}, {}});
  ASSERT_TRUE(turned && plain);
  EXPECT_EQ(turned->output_width, plain->output_width);
  EXPECT_EQ(turned->output_height, plain->output_height);
  EXPECT_EQ(turned->width, plain->width);
  EXPECT_EQ(turned->height, plain->height);
}

TEST_F(PreviewTest, ShowsTiffAsPngAndHonoursTheBox) {
  const auto image = read_bytes(corpus("photos/colorfulcups-2560x1600.jpg"));
  ConversionOptions options;
  options.format = OutputFormat::tiff;
  PreviewRequest request{image, {}, options};
  request.box = 200;
  auto preview = render_preview(request);
  ASSERT_TRUE(preview);
  EXPECT_EQ(preview->format, OutputFormat::png);
  EXPECT_EQ(preview->output_format, OutputFormat::tiff);
  EXPECT_EQ(preview->output_width, 2560);
  EXPECT_EQ(preview->width, 200);
  EXPECT_EQ(preview->height, 125);
}

TEST_F(PreviewTest, ABrokenImageIsAnErrorWithAReason) {
  const auto broken = read_bytes(corpus("edge/corrupt-header.jpg"));
  auto preview = render_preview({broken, {}, {}});
  ASSERT_FALSE(preview);
  EXPECT_FALSE(preview.error().message.empty());
  const auto svg = read_bytes(corpus("edge/check.svg"));
  auto refused = render_preview({svg, {}, {}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::unsupported_format);
}

}  // namespace
}  // namespace imagesprint
