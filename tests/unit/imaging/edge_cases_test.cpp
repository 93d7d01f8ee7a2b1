// Each edge/ file behaves as ../shared/corpus/MANIFEST.md says.
#include <gtest/gtest.h>

#include "support/convert.hpp"
#include "support/corpus.hpp"
#include "support/images.hpp"

namespace imagesprint {
namespace {

using test::corpus;

void expect_failure(const std::string& file, ErrorCode code, const std::string& words) {
  auto result = test::convert_file(corpus("edge/" + file), {{"format", "webp"}});
  ASSERT_FALSE(result.ok()) << file << " converted";
  EXPECT_EQ(result.error().code, code) << file << ": " << result.error().message;
  EXPECT_NE(result.error().message.find(words), std::string::npos) << result.error().message;
}

TEST(EdgeCases, GiantImageIsRefusedFromItsHeader) {
  // probe() reads only the header: the refusal happens before any pixel is decoded.
  auto info = probe(test::read_bytes(corpus("edge/giant-image.jpg")));
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, ErrorCode::too_many_pixels);
  EXPECT_NE(info.error().message.find("20000x14000"), std::string::npos) << info.error().message;
  expect_failure("giant-image.jpg", ErrorCode::too_many_pixels, "limit");
}

TEST(EdgeCases, PixelLimitIsConfigurable) {
  EngineLimits small;
  small.max_input_pixels = 1000 * 1000;
  auto result = test::convert_file(corpus("photos/path-2560x1600.jpg"), {{"width", 100}}, small);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::too_many_pixels);
}

TEST(EdgeCases, ByteLimit) {
  EngineLimits small;
  small.max_input_bytes = 1000;
  auto result = test::convert_file(corpus("photos/path-2560x1600.jpg"), {{"width", 100}}, small);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::too_large);
}

TEST(EdgeCases, SvgIsRefusedAsUnsupported) {
  expect_failure("check.svg", ErrorCode::unsupported_format, "SVG");
}

TEST(EdgeCases, EmptyAndTextInputsAreRefused) {
  auto empty = test::convert_bytes({}, {});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::unsupported_format);
  EXPECT_NE(empty.error().message.find("empty"), std::string::npos);
  const std::string pdf = "%PDF-1.4\n1 0 obj\n";
  auto refused = test::convert_bytes({pdf.begin(), pdf.end()}, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::unsupported_format);
  EXPECT_NE(refused.error().message.find("PDF"), std::string::npos);
}

TEST(EdgeCases, TruncatedAndCorruptFilesFailClearly) {
  expect_failure("truncated.jpg", ErrorCode::corrupt_image, "damaged or truncated");
  expect_failure("truncated.png", ErrorCode::corrupt_image, "damaged or truncated");
  expect_failure("corrupt-header.jpg", ErrorCode::corrupt_image, "damaged or truncated");
  // And the engine is still fine afterwards.
  auto after = test::convert_file(corpus("edge/with-alpha.png"), {{"format", "png"}});
  EXPECT_TRUE(after.ok());
}

TEST(EdgeCases, CmykComesOutSrgb) {
  for (const std::string file : {"Channel_digital_image_CMYK_color.jpg",
                                 "Channel_digital_image_CMYK_color_no_profile.jpg"}) {
    auto result = test::convert_file(corpus("edge/" + file), {{"format", "png"}});
    ASSERT_TRUE(result.ok()) << result.error().message;
    const vips::VImage img = test::decode_output(result->bytes);
    EXPECT_EQ(img.bands(), 3) << file;
    EXPECT_EQ(img.interpretation(), VIPS_INTERPRETATION_sRGB) << file;
  }
  // With and without the profile it is the same picture (not inverted, not shifted).
  auto a =
      test::convert_file(corpus("edge/Channel_digital_image_CMYK_color.jpg"), {{"format", "png"}});
  auto b = test::convert_file(corpus("edge/Channel_digital_image_CMYK_color_no_profile.jpg"),
                              {{"format", "png"}});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_LT(test::mean_abs_diff(test::decode_output(a->bytes), test::decode_output(b->bytes)),
            25.0);
}

TEST(EdgeCases, AnimatedGifToWebpKeepsItsFrames) {
  const auto input = test::decode_output(test::read_bytes(corpus("edge/animated-loop-3.gif")));
  const int frames = test::frame_count(input);
  ASSERT_GT(frames, 1);
  auto result =
      test::convert_file(corpus("edge/animated-loop-3.gif"), {{"format", "webp"}, {"width", 200}});
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto out = test::decode_output(result->bytes);
  EXPECT_EQ(test::frame_count(out), frames);
  EXPECT_EQ(result->pages, frames);
  EXPECT_EQ(out.width(), 200);
  EXPECT_EQ(out.get_int(VIPS_META_PAGE_HEIGHT), result->height);
}

TEST(EdgeCases, AnimatedWebpToGifKeepsFramesAndCoverCropsEachFrame) {
  auto result = test::convert_file(corpus("edge/animated-loop-3.webp"),
                                   {{"format", "gif"},
                                    {"width", 100},
                                    {"height", 100},
                                    {"fit", "cover"},
                                    {"watermark", {{"text", "Hi"}, {"opacity", 1}}}});
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto out = test::decode_output(result->bytes);
  EXPECT_GT(test::frame_count(out), 1);
  EXPECT_EQ(out.width(), 100);
  EXPECT_EQ(out.get_int(VIPS_META_PAGE_HEIGHT), 100);
}

TEST(EdgeCases, AnimatedIntoAStillFormatKeepsTheFirstFrame) {
  auto result = test::convert_file(corpus("edge/rotating-squares.gif"), {{"format", "png"}});
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto out = test::decode_output(result->bytes);
  EXPECT_EQ(out.width(), 80);
  EXPECT_EQ(out.height(), 80);
  EXPECT_EQ(result->pages, 1);
}

TEST(EdgeCases, AlphaIsKeptOrFlattened) {
  auto png = test::convert_file(corpus("edge/with-alpha.png"), {{"format", "webp"}});
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(test::decode_output(png->bytes).bands(), 4);
  // BMP has no alpha and is lossless: the flattening can be checked exactly.
  auto bmp = test::convert_file(corpus("edge/with-alpha.png"),
                                {{"format", "bmp"}, {"background", "#ff0000"}});
  ASSERT_TRUE(bmp.ok());
  const auto flat = test::decode_output(bmp->bytes);
  EXPECT_EQ(flat.bands(), 3);
  // At the most transparent pixel of the source, out = src * a + background * (1 - a).
  const vips::VImage source = test::decode_output(test::read_bytes(corpus("edge/with-alpha.png")));
  int x = 0, y = 0;
  source[3].min(vips::VImage::option()->set("x", &x)->set("y", &y));
  const std::vector<double> src = source.getpoint(x, y);
  const std::vector<double> out = flat.getpoint(x, y);
  const double a = src[3] / 255.0;
  ASSERT_LT(a, 0.9);
  EXPECT_NEAR(out[0], src[0] * a + 255 * (1 - a), 2.0);
  EXPECT_NEAR(out[1], src[1] * a, 2.0);
  EXPECT_NEAR(out[2], src[2] * a, 2.0);
}

TEST(EdgeCases, SixteenBitGreyAlphaBecomesEightBit) {
  auto result = test::convert_file(corpus("edge/16-bit-grey-alpha.png"), {{"format", "png"}});
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto out = test::decode_output(result->bytes);
  EXPECT_EQ(out.format(), VIPS_FORMAT_UCHAR);
  EXPECT_TRUE(out.has_alpha());
  auto webp = test::convert_file(corpus("edge/16-bit-grey-alpha.png"), {{"format", "webp"}});
  ASSERT_TRUE(webp.ok()) << webp.error().message;
}

TEST(EdgeCases, PremultipliedAlphaResizesWithoutDarkFringes) {
  auto result = test::convert_file(corpus("edge/alpha-premultiply-2048x1536-paper.png"),
                                   {{"width", 512}, {"format", "png"}});
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto out = test::decode_output(result->bytes);
  EXPECT_EQ(out.width(), 512);
  EXPECT_EQ(out.height(), 384);
  EXPECT_TRUE(out.has_alpha());
}

TEST(EdgeCases, OtherInputsConvert) {
  for (const std::string file :
       {"cielab-dagams.tiff", "tifftag-photoshop.tiff", "G31D.TIF", "pitm.avif", "4.webp",
        "big-height.webp", "grey-8bit-alpha.png", "Flag_of_the_Netherlands-alpha.png"}) {
    auto result = test::convert_file(corpus("edge/" + file), {{"format", "jpeg"}, {"width", 300}});
    ASSERT_TRUE(result.ok()) << file << ": " << result.error().message;
    const auto out = test::decode_output(result->bytes);
    EXPECT_LE(out.width(), 300) << file;
  }
  // Lab comes out sRGB.
  auto lab = test::convert_file(corpus("edge/cielab-dagams.tiff"), {{"format", "png"}});
  ASSERT_TRUE(lab.ok());
  EXPECT_EQ(test::decode_output(lab->bytes).interpretation(), VIPS_INTERPRETATION_sRGB);
}

TEST(EdgeCases, BmpRoundTrip) {
  auto bmp = test::convert_file(corpus("orientation/Landscape_1.jpg"), {{"format", "bmp"}});
  ASSERT_TRUE(bmp.ok());
  ASSERT_EQ(test::detected_format(bmp->bytes), "bmp");
  auto back = test::convert_bytes(bmp->bytes, {{"format", "png"}});
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->input.format, InputFormat::bmp);
  EXPECT_EQ(back->width, 600);
  EXPECT_EQ(back->height, 450);
}

TEST(EdgeCases, ABmpWhoseRowsAreNotInTheFileIsRefusedBeforeDecoding) {
  auto bmp =
      test::convert_file(corpus("orientation/Landscape_1.jpg"), {{"format", "bmp"}, {"width", 16}});
  ASSERT_TRUE(bmp.ok());
  std::vector<std::uint8_t> bytes = bmp->bytes;
  ASSERT_GT(bytes.size(), 60u);
  // The engine fuzzer's find, rebuilt: the header claims 131,084 rows, the file keeps 400 bytes.
  const std::uint32_t rows = 131'084;
  for (int i = 0; i < 4; ++i) bytes[22 + i] = static_cast<std::uint8_t>(rows >> (8 * i));
  bytes.resize(400);
  auto as_input = test::convert_bytes(bytes, {{"format", "png"}});
  ASSERT_FALSE(as_input.ok());
  EXPECT_EQ(as_input.error().code, ErrorCode::corrupt_image) << as_input.error().message;
  EXPECT_NE(as_input.error().message.find("truncated"), std::string::npos)
      << as_input.error().message;
  auto as_logo =
      test::convert_bytes(test::read_bytes(corpus("orientation/Landscape_1.jpg")),
                          {{"format", "png"}, {"watermark", {{"type", "image"}}}}, bytes);
  ASSERT_FALSE(as_logo.ok());
  EXPECT_EQ(as_logo.error().field, "watermark_image") << as_logo.error().message;
  const auto info = probe(bytes);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, ErrorCode::corrupt_image);
}

}  // namespace
}  // namespace imagesprint

namespace imagesprint {
namespace {

// Progressive JPEGs decode whole, so they have their own pixel limit.
TEST(EdgeCases, ProgressiveJpegHasItsOwnPixelLimit) {
  auto progressive = test::convert_file(corpus("photos/path-2560x1600.jpg"),
                                        {{"format", "jpeg"}, {"progressive", true}});
  ASSERT_TRUE(progressive.ok());
  auto info = probe(progressive->bytes);
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->interlaced);
  EngineLimits limits;
  limits.max_interlaced_pixels = 2'000'000;  // 2560x1600 is 4.1 megapixels
  auto refused = test::convert_bytes(progressive->bytes, {{"width", 100}}, {}, limits);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::too_many_pixels);
  EXPECT_NE(refused.error().message.find("progressive"), std::string::npos);
  // A baseline JPEG of the same size is fine under that limit, and so is the progressive one by
  // default.
  EXPECT_TRUE(
      test::convert_file(corpus("photos/path-2560x1600.jpg"), {{"width", 100}}, limits).ok());
  EXPECT_TRUE(test::convert_bytes(progressive->bytes, {{"width", 100}}).ok());
}

}  // namespace
}  // namespace imagesprint
