// Encoder options: quality, lossless, progressive, palette, max_bytes, metadata, time budget.
#include <gtest/gtest.h>

#include "support/convert.hpp"
#include "support/corpus.hpp"
#include "support/images.hpp"

namespace imagesprint {
namespace {

using test::corpus;

const std::filesystem::path PHOTO = corpus("photos/flickr-2569067123-2725x2225.jpg");

std::size_t size_of(const nlohmann::json& j) {
  auto result = test::convert_file(PHOTO, j);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? result->bytes.size() : 0;
}

TEST(EncodeOptions, QualitySteersEveryLossyEncoder) {
  for (const char* format : {"jpeg", "webp", "avif"}) {
    const std::size_t low = size_of({{"width", 600}, {"format", format}, {"quality", 30}});
    const std::size_t high = size_of({{"width", 600}, {"format", format}, {"quality", 90}});
    EXPECT_LT(low, high) << format;
  }
}

TEST(EncodeOptions, ResultReportsTheQualityUsed) {
  auto jpeg = test::convert_file(PHOTO, {{"width", 300}, {"format", "jpeg"}, {"quality", 70}});
  ASSERT_TRUE(jpeg.ok());
  EXPECT_EQ(jpeg->quality_used, 70);
  auto avif = test::convert_file(PHOTO, {{"width", 300}, {"format", "avif"}});
  ASSERT_TRUE(avif.ok());
  EXPECT_EQ(avif->quality_used, 64);  // 80 on AVIF's stricter scale
  auto png = test::convert_file(PHOTO, {{"width", 300}, {"format", "png"}});
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png->quality_used, std::nullopt);
}

TEST(EncodeOptions, LosslessWebpIsExact) {
  auto png = test::convert_file(PHOTO, {{"width", 300}, {"format", "png"}});
  auto webp = test::convert_file(PHOTO, {{"width", 300}, {"format", "webp"}, {"lossless", true}});
  ASSERT_TRUE(png.ok() && webp.ok());
  EXPECT_EQ(test::mean_abs_diff(test::decode_output(png->bytes), test::decode_output(webp->bytes)),
            0.0);
}

TEST(EncodeOptions, ProgressiveJpeg) {
  auto result =
      test::convert_file(PHOTO, {{"width", 600}, {"format", "jpeg"}, {"progressive", true}});
  ASSERT_TRUE(result.ok());
  const auto header = vips::VImage::new_from_buffer(result->bytes.data(), result->bytes.size(), "");
  EXPECT_NE(header.get_typeof("interlaced"), 0u);
  auto baseline = test::convert_file(PHOTO, {{"width", 600}, {"format", "jpeg"}});
  ASSERT_TRUE(baseline.ok());
  const auto plain =
      vips::VImage::new_from_buffer(baseline->bytes.data(), baseline->bytes.size(), "");
  EXPECT_EQ(plain.get_typeof("interlaced"), 0u);
}

TEST(EncodeOptions, PalettePngIsSmaller) {
  EXPECT_LT(size_of({{"width", 600}, {"format", "png"}, {"palette", true}}),
            size_of({{"width", 600}, {"format", "png"}}));
}

TEST(EncodeOptions, MaxBytesSearchesQualityForEveryLossyFormat) {
  for (const char* format : {"jpeg", "webp", "avif"}) {
    const std::int64_t limit = 20'000;
    auto result =
        test::convert_file(PHOTO, {{"width", 800}, {"format", format}, {"max_bytes", limit}});
    ASSERT_TRUE(result.ok()) << format << ": " << result.error().message;
    EXPECT_LE(static_cast<std::int64_t>(result->bytes.size()), limit) << format;
    ASSERT_TRUE(result->quality_used.has_value());
    EXPECT_LT(*result->quality_used, 80) << format;
    EXPECT_EQ(result->width, 800) << format;  // quality alone was enough
  }
}

TEST(EncodeOptions, MaxBytesScalesWhenQualityIsNotEnough) {
  auto jpeg = test::convert_file(PHOTO, {{"format", "jpeg"}, {"max_bytes", 4000}});
  ASSERT_TRUE(jpeg.ok()) << jpeg.error().message;
  EXPECT_LE(jpeg->bytes.size(), 4000u);
  EXPECT_LT(jpeg->width, 2725);
  EXPECT_LT(jpeg->max_bytes_scale, 1.0);
  // Lossless formats can only scale.
  auto png = test::convert_file(PHOTO, {{"format", "png"}, {"max_bytes", 50'000}});
  ASSERT_TRUE(png.ok()) << png.error().message;
  EXPECT_LE(png->bytes.size(), 50'000u);
  EXPECT_LT(png->width, 2725);
}

TEST(EncodeOptions, MaxBytesAlreadyMetKeepsTheQuality) {
  auto result =
      test::convert_file(PHOTO, {{"width", 200}, {"format", "jpeg"}, {"max_bytes", 1'000'000}});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->quality_used, 80);
  EXPECT_EQ(result->max_bytes_scale, 1.0);
}

bool has_exif(const std::vector<std::uint8_t>& bytes) {
  const auto img = vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "");
  return img.get_typeof(VIPS_META_EXIF_NAME) != 0;
}

TEST(EncodeOptions, MetadataStripKeepAndCopyright) {
  // A JPEG carrying camera EXIF, GPS and a copyright notice, made here with libvips.
  vips::VImage source = vips::VImage::black(64, 48, vips::VImage::option()->set("bands", 3)) + 128;
  source = source.cast(VIPS_FORMAT_UCHAR).copy();
  source.set("exif-ifd0-Make", "TestCam");
  source.set("exif-ifd0-Copyright", "(c) ImageSprint");
  source.set("exif-ifd0-Artist", "Jane");
  source.set("exif-ifd3-GPSLatitudeRef", "N");
  VipsBlob* blob = source.jpegsave_buffer();
  std::vector<std::uint8_t> jpeg(
      static_cast<const std::uint8_t*>(VIPS_AREA(blob)->data),
      static_cast<const std::uint8_t*>(VIPS_AREA(blob)->data) + VIPS_AREA(blob)->length);
  vips_area_unref(VIPS_AREA(blob));
  ASSERT_TRUE(has_exif(jpeg));

  auto strip = test::convert_bytes(jpeg, {{"format", "jpeg"}});
  ASSERT_TRUE(strip.ok());
  EXPECT_FALSE(has_exif(strip->bytes));

  auto keep = test::convert_bytes(jpeg, {{"format", "jpeg"}, {"metadata", "keep"}});
  ASSERT_TRUE(keep.ok());
  const auto kept = vips::VImage::new_from_buffer(keep->bytes.data(), keep->bytes.size(), "");
  EXPECT_NE(kept.get_typeof("exif-ifd0-Make"), 0u);

  auto copyright = test::convert_bytes(jpeg, {{"format", "jpeg"}, {"metadata", "copyright"}});
  ASSERT_TRUE(copyright.ok());
  const auto c =
      vips::VImage::new_from_buffer(copyright->bytes.data(), copyright->bytes.size(), "");
  ASSERT_NE(c.get_typeof("exif-ifd0-Copyright"), 0u);
  EXPECT_NE(std::string(c.get_string("exif-ifd0-Copyright")).find("ImageSprint"),
            std::string::npos);
  EXPECT_NE(c.get_typeof("exif-ifd0-Artist"), 0u);
  EXPECT_EQ(c.get_typeof("exif-ifd0-Make"), 0u);
  EXPECT_EQ(c.get_typeof("exif-ifd3-GPSLatitudeRef"), 0u);
}

TEST(EncodeOptions, TimeBudgetFailsTheImageCleanly) {
  auto result = test::convert_file(corpus("photos/kleiber-6028x3391.jpg"),
                                   {{"format", "png"}, {"timeout_seconds", 0.001}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::timeout) << result.error().message;
  EXPECT_EQ(result.error().field, "timeout_seconds");
  // The engine carries on with the next image.
  EXPECT_TRUE(test::convert_file(PHOTO, {{"width", 100}}).ok());
}

}  // namespace
}  // namespace imagesprint
