// The whole corpus: every photo and orientation file converts to every output format and decodes
// back with the expected size and format; the orientation set comes out upright.
#include <gtest/gtest.h>

#include "domain/resize_plan.hpp"
#include "support/convert.hpp"
#include "support/corpus.hpp"
#include "support/images.hpp"

namespace imagesprint {
namespace {

using test::corpus_files;

const std::vector<std::string> OUTPUTS{"jpeg", "png", "webp", "avif", "gif", "tiff", "bmp"};

std::string expected_detected(const std::string& format) {
  return format == "avif" ? "heif" : format;
}

struct Case {
  std::filesystem::path file;
  std::string format;
};

std::vector<Case> cases(const std::string& folder) {
  std::vector<Case> out;
  for (const auto& f : corpus_files(folder)) {
    if (f.extension() == ".md") continue;
    for (const auto& fmt : OUTPUTS) out.push_back({f, fmt});
  }
  return out;
}

std::string case_name(const testing::TestParamInfo<Case>& info) {
  std::string name = info.param.file.filename().string() + "_" + info.param.format;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class PhotoToEveryFormat : public testing::TestWithParam<Case> {};

// Photos are resized (the common case, and it keeps the suite fast); the expected size is the
// aspect-kept 640-wide box.
TEST_P(PhotoToEveryFormat, ConvertsAndDecodesBack) {
  const Case& c = GetParam();
  auto result = test::convert_file(c.file, {{"width", 640}, {"format", c.format}});
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto info = probe(test::read_bytes(c.file));
  ASSERT_TRUE(info.ok());
  ConversionOptions o;
  o.width = 640;
  const ResizePlan plan = plan_resize(info->width, info->height, o);
  EXPECT_EQ(result->width, plan.out_width);
  EXPECT_EQ(result->height, plan.out_height);
  EXPECT_EQ(test::detected_format(result->bytes), expected_detected(c.format));
  const vips::VImage decoded = test::decode_output(result->bytes);
  EXPECT_EQ(decoded.width(), plan.out_width);
  EXPECT_EQ(decoded.height(), plan.out_height);
  EXPECT_GE(decoded.bands(), 3);  // colour photos stay colour
}

INSTANTIATE_TEST_SUITE_P(Corpus, PhotoToEveryFormat, testing::ValuesIn(cases("photos")), case_name);

class OrientationToEveryFormat : public testing::TestWithParam<Case> {};

// No resize: the upright size is the stored one, turned for EXIF orientations 5-8.
TEST_P(OrientationToEveryFormat, ComesOutUpright) {
  const Case& c = GetParam();
  auto result = test::convert_file(c.file, {{"format", c.format}});
  ASSERT_TRUE(result.ok()) << result.error().message;
  const vips::VImage decoded = test::decode_output(result->bytes);
  EXPECT_EQ(test::detected_format(result->bytes), expected_detected(c.format));
  const bool landscape = c.file.filename().string().starts_with("Landscape");
  if (landscape) {
    EXPECT_GT(decoded.width(), decoded.height()) << c.file;
  } else {
    EXPECT_LT(decoded.width(), decoded.height()) << c.file;
  }
  EXPECT_EQ(decoded.width(), result->width);
  EXPECT_EQ(decoded.height(), result->height);
}

INSTANTIATE_TEST_SUITE_P(Corpus, OrientationToEveryFormat, testing::ValuesIn(cases("orientation")),
                         case_name);

// Every orientation shows the same picture once upright: compare each with orientation 1.
TEST(Orientation, AllEightShowTheSamePicture) {
  for (const std::string kind : {"Landscape", "Portrait"}) {
    auto reference = test::convert_file(test::corpus("orientation/" + kind + "_1.jpg"),
                                        {{"format", "png"}, {"width", 200}});
    ASSERT_TRUE(reference.ok());
    const vips::VImage ref = test::decode_output(reference->bytes);
    for (int n = 2; n <= 8; ++n) {
      auto result =
          test::convert_file(test::corpus("orientation/" + kind + "_" + std::to_string(n) + ".jpg"),
                             {{"format", "png"}, {"width", 200}});
      ASSERT_TRUE(result.ok());
      const vips::VImage img = test::decode_output(result->bytes);
      ASSERT_EQ(img.width(), ref.width());
      ASSERT_EQ(img.height(), ref.height());
      // JPEG re-encodings of the same picture differ a little; a wrong turn differs a lot.
      EXPECT_LT(test::mean_abs_diff(img, ref), 12.0) << kind << "_" << n;
    }
  }
}

// The no-resize path at full size, on sharp's benchmark photo.
TEST(FullSize, SharpBenchmarkPhotoKeepsItsSize) {
  for (const std::string format : {"jpeg", "webp", "png"}) {
    auto result = test::convert_file(test::corpus("photos/flickr-2569067123-2725x2225.jpg"),
                                     {{"format", format}});
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->width, 2725);
    EXPECT_EQ(result->height, 2225);
  }
}

TEST(Original, KeepsTheInputFormat) {
  auto jpeg = test::convert_file(test::corpus("photos/path-2560x1600.jpg"), {{"width", 100}});
  ASSERT_TRUE(jpeg.ok());
  EXPECT_EQ(jpeg->format, OutputFormat::jpeg);
  auto png = test::convert_file(test::corpus("photos/path-2560x1600.png"), {{"width", 100}});
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png->format, OutputFormat::png);
  EXPECT_EQ(test::detected_format(png->bytes), "png");
}

}  // namespace
}  // namespace imagesprint
