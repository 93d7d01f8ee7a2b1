// Multi-page inputs: documents (multi-page and pyramidal TIFF) and collections (HEIF/AVIF with
// several still images) give one page at its own geometry into every output format, WebP and GIF
// included; only animations (GIF, WebP) keep their frames. The inputs are made here with libvips
// and libheif, from two pictures that differ everywhere, and outputs are compared by pixels.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "imaging/codecs/raw_image.hpp"
#include "support/convert.hpp"
#include "support/corpus.hpp"
#include "support/heif_writer.hpp"
#include "support/images.hpp"
#include "support/tiff_pages.hpp"

namespace imagesprint {
namespace {

using nlohmann::json;
using test::corpus;
using vips::VImage;
using Bytes = std::vector<std::uint8_t>;

const std::vector<std::string> EVERY_FORMAT{"jpeg", "png", "webp", "avif", "gif", "tiff", "bmp"};

VImage srgb(const VImage& r, const VImage& g, const VImage& b) {
  return VImage::bandjoin(std::vector<VImage>{r, g, b})
      .cast(VIPS_FORMAT_UCHAR)
      .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

/// Smooth pictures (lossy codecs and GIF's palette keep them close) that differ everywhere: a
/// red/green ramp on dark blue, and a pink with falling green and rising blue.
VImage picture_a(int width, int height) {
  init_engine();
  const VImage xy = VImage::xyz(width, height);
  const VImage x = xy[0] * (255.0 / width), y = xy[1] * (255.0 / height);
  return srgb(x, y, x * 0 + 40);
}

VImage picture_b(int width, int height) {
  init_engine();
  const VImage xy = VImage::xyz(width, height);
  const VImage x = xy[0] * (255.0 / width), y = xy[1] * (255.0 / height);
  return srgb(x * 0 + 220, 255 - y, x);
}

Bytes tiff_of(const VImage& image, vips::VOption* options = VImage::option()) {
  VipsBlob* blob = image.tiffsave_buffer(options->set("keep", VIPS_FOREIGN_KEEP_NONE));
  const auto* data = static_cast<const std::uint8_t*>(VIPS_AREA(blob)->data);
  Bytes out(data, data + VIPS_AREA(blob)->length);
  vips_area_unref(VIPS_AREA(blob));
  return out;
}

RawImage raw_of(const VImage& image) {
  RawImage raw;
  raw.width = image.width();
  raw.height = image.height();
  raw.bands = image.bands();
  std::size_t size = 0;
  const std::unique_ptr<void, decltype(&g_free)> memory(image.write_to_memory(&size), &g_free);
  const auto* pixels = static_cast<const std::uint8_t*>(memory.get());
  raw.pixels.assign(pixels, pixels + size);
  return raw;
}

/// Three bands: outputs may carry an alpha band (GIF) that the pictures lack, and a grey input
/// (a fax) may come out grey in one format and RGB in another.
VImage rgb(const VImage& image) {
  if (image.bands() > 3) return image.extract_band(0, VImage::option()->set("n", 3));
  if (image.bands() < 3) return VImage::bandjoin(std::vector<VImage>(3, image[0]));
  return image;
}

/// How close an output of `format` must be to the picture it shows. Measured: at most 1.7 for the
/// lossy formats and 3.5 for GIF (dithered to 256 colours); the two pictures are more than 60
/// apart (TwoPageTiff.IsADocumentOfTwoPages checks it), so a wrong page cannot pass.
double tolerance(const std::string& format) {
  return format == "gif" ? 8.0 : 5.0;
}

/// Checks that `result` is one still image showing `picture`, resized to the result's size, and
/// that this size keeps the picture's aspect ratio.
void expect_shows(const Expected<ConversionResult>& result, const VImage& picture,
                  const std::string& what) {
  ASSERT_TRUE(result.ok()) << what << ": " << result.error().message;
  const VImage out = test::decode_output(result->bytes);
  EXPECT_EQ(result->pages, 1) << what;
  EXPECT_EQ(test::frame_count(out), 1) << what;
  ASSERT_EQ(out.width(), result->width) << what;
  ASSERT_EQ(out.height(), result->height) << what;
  const double aspect = static_cast<double>(picture.height()) / picture.width();
  EXPECT_NEAR(result->height, result->width * aspect, 1.0) << what << ": the page's geometry";
  const VImage expected = picture.resize(
      static_cast<double>(out.width()) / picture.width(),
      VImage::option()->set("vscale", static_cast<double>(out.height()) / picture.height()));
  EXPECT_LT(test::mean_abs_diff(rgb(out), expected),
            tolerance(std::string(to_string(result->format))))
      << what << ": not the expected page";
}

void expect_page_refused(const Bytes& input, int page, const std::string& words) {
  auto result = test::convert_bytes(input, {{"format", "webp"}, {"page", page}});
  ASSERT_FALSE(result.ok()) << "page " << page << " converted";
  EXPECT_EQ(result.error().code, ErrorCode::invalid_option);
  EXPECT_EQ(result.error().field, "page");
  EXPECT_NE(result.error().message.find(words), std::string::npos) << result.error().message;
  auto info = probe(input, {}, page);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().field, "page");
}

// A document whose two pages differ in size and content (480x360, then 300x400).
class TwoPageTiff : public testing::Test {
 protected:
  const VImage first_ = picture_a(480, 360);
  const VImage second_ = picture_b(300, 400);
  const Bytes tiff_ = test::join_tiff_pages({tiff_of(first_), tiff_of(second_)});
};

TEST_F(TwoPageTiff, IsADocumentOfTwoPages) {
  auto info = probe(tiff_);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->format, InputFormat::tiff);
  EXPECT_EQ(info->pages, 2);
  EXPECT_EQ(info->page, 0);
  EXPECT_FALSE(info->animated);
  EXPECT_EQ(info->width, 480);
  EXPECT_EQ(info->height, 360);
  auto second = probe(tiff_, {}, 1);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->page, 1);
  EXPECT_EQ(second->width, 300);
  EXPECT_EQ(second->height, 400);
  // The pictures differ everywhere, so a similarity check tells the pages apart.
  EXPECT_GT(test::mean_abs_diff(picture_a(300, 400), second_), 60.0);
}

TEST_F(TwoPageTiff, EveryFormatGivesTheFirstPageAtItsOwnGeometry) {
  for (const std::string& format : EVERY_FORMAT) {
    auto result = test::convert_bytes(tiff_, {{"format", format}, {"width", 240}});
    expect_shows(result, first_, "to " + format);
    if (!result.ok()) continue;
    EXPECT_EQ(result->width, 240) << format;
    EXPECT_EQ(result->height, 180) << format;
    EXPECT_EQ(result->input.pages, 2) << format;
    EXPECT_EQ(result->page, 0) << format;
  }
}

TEST_F(TwoPageTiff, PagePicksTheSecondPageInEveryFormat) {
  for (const std::string& format : EVERY_FORMAT) {
    auto result = test::convert_bytes(tiff_, {{"format", format}, {"width", 150}, {"page", 1}});
    expect_shows(result, second_, "page 1 to " + format);
    if (!result.ok()) continue;
    EXPECT_EQ(result->width, 150) << format;
    EXPECT_EQ(result->height, 200) << format;
    EXPECT_EQ(result->page, 1) << format;
  }
}

TEST_F(TwoPageTiff, APageItLacksIsAFieldError) {
  expect_page_refused(tiff_, 2, "from 0 to 1");
  EXPECT_TRUE(test::convert_bytes(tiff_, {{"format", "webp"}, {"page", 0}}).ok());
}

TEST(MultiPage, TiffPagesOfOneSizeAreStillADocument) {
  const VImage first = picture_a(320, 240), second = picture_b(320, 240);
  VImage strip = first.join(second, VIPS_DIRECTION_VERTICAL).copy();
  strip.set(VIPS_META_PAGE_HEIGHT, 240);
  const Bytes tiff = tiff_of(strip);
  auto info = probe(tiff);
  ASSERT_TRUE(info.ok()) << info.error().message;
  ASSERT_EQ(info->pages, 2);
  EXPECT_FALSE(info->animated);
  for (const std::string format : {"webp", "gif"}) {
    expect_shows(test::convert_bytes(tiff, {{"format", format}}), first, "to " + format);
    expect_shows(test::convert_bytes(tiff, {{"format", format}, {"page", 1}}), second,
                 "page 1 to " + format);
  }
}

// A pyramid: 1024x768 and its levels at 512x384, 256x192 and 128x96, as pages or as sub-IFDs.
class PyramidalTiff : public testing::Test {
 protected:
  const VImage full_ = picture_a(1024, 768);
  const Bytes pages_ = tiff_of(full_, VImage::option()->set("tile", true)->set("pyramid", true));
  const Bytes subifds_ = tiff_of(
      full_, VImage::option()->set("tile", true)->set("pyramid", true)->set("subifd", true));
};

TEST_F(PyramidalTiff, EveryFormatGivesTheFullResolution) {
  for (const Bytes* tiff : {&pages_, &subifds_}) {
    const std::string kind = tiff == &pages_ ? "levels as pages" : "levels as sub-IFDs";
    auto info = probe(*tiff);
    ASSERT_TRUE(info.ok()) << info.error().message;
    EXPECT_FALSE(info->animated);
    EXPECT_EQ(info->width, 1024);
    EXPECT_EQ(info->height, 768);
    for (const std::string& format : EVERY_FORMAT) {
      auto result = test::convert_bytes(*tiff, {{"format", format}, {"width", 400}});
      expect_shows(result, full_, kind + " to " + format);
      if (!result.ok()) continue;
      EXPECT_EQ(result->width, 400) << kind << " to " << format;
      EXPECT_EQ(result->height, 300) << kind << " to " << format;
      EXPECT_EQ(result->page, 0);
    }
  }
  // Converted without resizing, the output is the full-resolution page itself.
  auto whole = test::convert_bytes(pages_, {{"format", "webp"}});
  ASSERT_TRUE(whole.ok()) << whole.error().message;
  EXPECT_EQ(whole->width, 1024);
  EXPECT_EQ(whole->height, 768);
  EXPECT_EQ(whole->input.pages, 4);
}

TEST_F(PyramidalTiff, PagePicksALevel) {
  for (const auto& [page, width] : std::vector<std::pair<int, int>>{{1, 512}, {3, 128}}) {
    for (const std::string format : {"webp", "gif", "png"}) {
      auto result = test::convert_bytes(pages_, {{"format", format}, {"page", page}});
      expect_shows(result, full_, "level " + std::to_string(page) + " to " + format);
      if (!result.ok()) continue;
      EXPECT_EQ(result->width, width);
      EXPECT_EQ(result->height, width * 3 / 4);
    }
  }
  expect_page_refused(pages_, 4, "from 0 to 3");
  // Sub-IFDs are not pages: that file has one.
  expect_page_refused(subifds_, 1, "expected 0");
}

// A HEIF collection of two still images, 320x240 then 240x320, whose primary image is the second.
class HeifCollection : public testing::TestWithParam<test::HeifCompression> {
 protected:
  const VImage first_ = picture_a(320, 240);
  const VImage second_ = picture_b(240, 320);
  const Bytes file_ = test::heif_collection({raw_of(first_), raw_of(second_)}, 1, GetParam(), 92);
};

TEST_P(HeifCollection, IsACollectionWhosePrimaryIsTheSecondImage) {
  auto info = probe(file_);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->format,
            GetParam() == test::HeifCompression::av1 ? InputFormat::avif : InputFormat::heic);
  EXPECT_EQ(info->pages, 2);
  EXPECT_EQ(info->page, 1);
  EXPECT_FALSE(info->animated);
  EXPECT_EQ(info->width, 240);
  EXPECT_EQ(info->height, 320);
}

TEST_P(HeifCollection, EveryFormatGivesThePrimaryImage) {
  for (const std::string& format : EVERY_FORMAT) {
    auto result = test::convert_bytes(file_, {{"format", format}, {"width", 180}});
    expect_shows(result, second_, "to " + format);
    if (!result.ok()) continue;
    EXPECT_EQ(result->width, 180) << format;
    EXPECT_EQ(result->height, 240) << format;
    EXPECT_EQ(result->input.pages, 2) << format;
    EXPECT_EQ(result->page, 1) << format;
  }
}

TEST_P(HeifCollection, PagePicksTheOtherImage) {
  for (const std::string& format : EVERY_FORMAT) {
    auto result = test::convert_bytes(file_, {{"format", format}, {"width", 200}, {"page", 0}});
    expect_shows(result, first_, "page 0 to " + format);
    if (!result.ok()) continue;
    EXPECT_EQ(result->width, 200) << format;
    EXPECT_EQ(result->height, 150) << format;
    EXPECT_EQ(result->page, 0) << format;
  }
  expect_page_refused(file_, 2, "from 0 to 1");
}

}  // namespace
}  // namespace imagesprint

namespace imagesprint::test {
void PrintTo(HeifCompression c, std::ostream* out) {
  *out << (c == HeifCompression::av1 ? "AVIF (AV1)" : "HEIC (HEVC)");
}
}  // namespace imagesprint::test

namespace imagesprint {
namespace {

INSTANTIATE_TEST_SUITE_P(MultiPage, HeifCollection,
                         testing::Values(test::HeifCompression::av1, test::HeifCompression::hevc),
                         [](const testing::TestParamInfo<test::HeifCompression>& p) {
                           return p.param == test::HeifCompression::av1 ? "Avif" : "Heic";
                         });

TEST(MultiPage, CorpusFaxTiffAndPitmAvifGiveOneStillPage) {
  // The corpus' fax TIFF, and its AVIF whose primary image is the last of five (four 1024x800
  // images, then the 4096x800 primary), into WebP: one frame, the same picture as into PNG.
  for (const std::string file : {"G31D.TIF", "pitm.avif"}) {
    const Bytes input = test::read_bytes(corpus("edge/" + file));
    auto info = probe(input);
    ASSERT_TRUE(info.ok()) << file << ": " << info.error().message;
    EXPECT_FALSE(info->animated) << file;
    if (file == "pitm.avif") {
      EXPECT_EQ(info->pages, 5);
      EXPECT_EQ(info->page, 4);
      EXPECT_EQ(info->width, 4096);
    }
    auto webp = test::convert_bytes(input, {{"format", "webp"}, {"width", 800}});
    auto png = test::convert_bytes(input, {{"format", "png"}, {"width", 800}});
    ASSERT_TRUE(webp.ok() && png.ok()) << file;
    const VImage a = test::decode_output(webp->bytes), b = test::decode_output(png->bytes);
    EXPECT_EQ(test::frame_count(a), 1) << file;
    EXPECT_EQ(webp->pages, 1) << file;
    ASSERT_EQ(a.width(), b.width()) << file;
    ASSERT_EQ(a.height(), b.height()) << file;
    EXPECT_NEAR(webp->height, 800.0 * info->height / info->width, 1.0) << file;
    EXPECT_LT(test::mean_abs_diff(rgb(a), rgb(b)), 4.0) << file;
  }
}

TEST(MultiPage, AnimationsKeepTheirFramesUnlessAPageIsAskedFor) {
  const Bytes gif = test::read_bytes(corpus("edge/animated-loop-3.gif"));
  const VImage strip = test::decode_output(gif);
  const int frames = test::frame_count(strip);
  ASSERT_GT(frames, 2);
  const int frame_height = strip.get_int(VIPS_META_PAGE_HEIGHT);
  auto info = probe(gif);
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->animated);
  EXPECT_EQ(info->pages, frames);

  auto all = test::convert_bytes(gif, {{"format", "webp"}});
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->pages, frames);
  EXPECT_EQ(all->page, std::nullopt);
  EXPECT_EQ(test::frame_count(test::decode_output(all->bytes)), frames);

  // One frame, asked for by its index, comes alone as a still image: the same pixels.
  const int pick = 2;
  const VImage expected =
      rgb(strip.crop(0, pick * frame_height, strip.width(), frame_height)).cast(VIPS_FORMAT_UCHAR);
  for (const std::string format : {"webp", "png"}) {
    auto one = test::convert_bytes(gif, {{"format", format}, {"page", pick}});
    ASSERT_TRUE(one.ok()) << one.error().message;
    EXPECT_EQ(one->pages, 1);
    EXPECT_EQ(one->page, pick);
    const VImage out = test::decode_output(one->bytes);
    EXPECT_EQ(test::frame_count(out), 1);
    ASSERT_EQ(out.height(), frame_height);
    EXPECT_LT(test::mean_abs_diff(rgb(out), expected), 3.0) << format;
  }
  expect_page_refused(gif, frames, "from 0 to " + std::to_string(frames - 1));
}

TEST(MultiPage, SinglePageInputsHaveOnlyPageZero) {
  const Bytes jpeg = test::read_bytes(corpus("orientation/Landscape_1.jpg"));
  auto zero = test::convert_bytes(jpeg, {{"format", "webp"}, {"page", 0}});
  ASSERT_TRUE(zero.ok()) << zero.error().message;
  EXPECT_EQ(zero->page, 0);
  EXPECT_EQ(zero->input.pages, 1);
  expect_page_refused(jpeg, 1, "expected 0 (the input has one page), got 1");
}

TEST(MultiPage, OnlyAnimationsIntoAnimatingFormatsKeepFrames) {
  InputInfo gif;
  gif.format = InputFormat::gif;
  gif.pages = 3;
  gif.animated = true;
  InputInfo tiff;
  tiff.format = InputFormat::tiff;
  tiff.pages = 3;
  const auto with = [](const json& j) { return test::options(j); };
  EXPECT_TRUE(keeps_frames(gif, with({{"format", "webp"}})));
  EXPECT_TRUE(keeps_frames(gif, with(json::object())));  // original: GIF
  EXPECT_FALSE(keeps_frames(gif, with({{"format", "png"}})));
  EXPECT_FALSE(keeps_frames(gif, with({{"format", "webp"}, {"page", 0}})));
  EXPECT_FALSE(keeps_frames(tiff, with({{"format", "webp"}})));
  EXPECT_FALSE(keeps_frames(tiff, with({{"format", "gif"}})));
  // So a document's pages never multiply the output's pixels.
  tiff.width = 4000;
  tiff.height = 4000;
  EngineLimits limits;
  limits.max_output_pixels = 20'000'000;
  EXPECT_EQ(output_size_refusal(tiff, with({{"format", "webp"}}), limits), std::nullopt);
  gif.width = 4000;
  gif.height = 4000;
  EXPECT_NE(output_size_refusal(gif, with({{"format", "webp"}}), limits), std::nullopt);
}

}  // namespace
}  // namespace imagesprint
