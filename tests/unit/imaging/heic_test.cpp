// HEIC input through Debian's libheif: a HEIC made with libheif's own encoder (heif-enc) from a
// corpus photo converts, upright and at the right size.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "support/convert.hpp"
#include "support/corpus.hpp"
#include "support/images.hpp"

namespace imagesprint {
namespace {

namespace fs = std::filesystem;

class Heic : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("imagesprint-heic-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path encode(const fs::path& source) {
    const fs::path out = dir_ / (source.stem().string() + ".heic");
    const std::string cmd =
        "heif-enc -q 60 -o '" + out.string() + "' '" + source.string() + "' >/dev/null 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << "heif-enc failed (Debian package libheif-examples)";
    return out;
  }

  fs::path dir_;
};

TEST_F(Heic, ConvertsToJpegAndWebp) {
  const fs::path heic = encode(test::corpus("photos/flickr-2569067123-2725x2225.jpg"));
  const auto bytes = test::read_bytes(heic);
  auto info = probe(bytes);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->format, InputFormat::heic);
  EXPECT_EQ(info->width, 2725);
  EXPECT_EQ(info->height, 2225);
  // `original` turns HEIC into JPEG: there is no HEVC encoder.
  auto jpeg = test::convert_bytes(bytes, {{"width", 720}});
  ASSERT_TRUE(jpeg.ok()) << jpeg.error().message;
  EXPECT_EQ(jpeg->format, OutputFormat::jpeg);
  EXPECT_EQ(jpeg->width, 720);
  EXPECT_EQ(jpeg->height, 588);
  auto webp = test::convert_bytes(bytes, {{"format", "webp"}, {"width", 300}});
  ASSERT_TRUE(webp.ok()) << webp.error().message;
  EXPECT_EQ(test::detected_format(webp->bytes), "webp");
}

TEST_F(Heic, LooksLikeTheSourcePhoto) {
  const fs::path source = test::corpus("orientation/Landscape_1.jpg");
  auto from_jpeg = test::convert_file(source, {{"format", "png"}, {"width", 300}});
  auto from_heic = test::convert_file(encode(source), {{"format", "png"}, {"width", 300}});
  ASSERT_TRUE(from_jpeg.ok() && from_heic.ok());
  EXPECT_LT(test::mean_abs_diff(test::decode_output(from_jpeg->bytes),
                                test::decode_output(from_heic->bytes)),
            8.0);
}

TEST_F(Heic, TruncatedHeicFailsClearly) {
  auto bytes = test::read_bytes(encode(test::corpus("orientation/Landscape_1.jpg")));
  bytes.resize(bytes.size() / 2);
  auto result = test::convert_bytes(bytes, {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::corrupt_image) << result.error().message;
}

}  // namespace
}  // namespace imagesprint
