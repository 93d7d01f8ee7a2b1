#include "domain/image_format.hpp"

#include <gtest/gtest.h>

namespace imagesprint {
namespace {

TEST(ImageFormat, OriginalMapsEveryInputToAnEncoder) {
  EXPECT_EQ(output_for(InputFormat::jpeg), OutputFormat::jpeg);
  EXPECT_EQ(output_for(InputFormat::gif), OutputFormat::gif);
  EXPECT_EQ(output_for(InputFormat::avif), OutputFormat::avif);
  EXPECT_EQ(output_for(InputFormat::heic), OutputFormat::jpeg);  // no HEVC encoder
  EXPECT_EQ(output_for(InputFormat::bmp), OutputFormat::bmp);
}

TEST(ImageFormat, CapabilitiesAndNames) {
  EXPECT_FALSE(supports_alpha(OutputFormat::jpeg));
  EXPECT_TRUE(supports_alpha(OutputFormat::webp));
  EXPECT_TRUE(supports_animation(OutputFormat::gif));
  EXPECT_FALSE(supports_animation(OutputFormat::avif));
  EXPECT_TRUE(is_lossy(OutputFormat::webp, false));
  EXPECT_FALSE(is_lossy(OutputFormat::webp, true));
  EXPECT_FALSE(is_lossy(OutputFormat::png, false));
  EXPECT_EQ(mime_type(OutputFormat::avif), "image/avif");
  EXPECT_EQ(extension(OutputFormat::jpeg), "jpg");
  EXPECT_EQ(parse_output_format("bmp"), OutputFormat::bmp);
  EXPECT_EQ(parse_output_format("heic"), std::nullopt);
  EXPECT_EQ(parse_output_format("jpg"), OutputFormat::jpeg);
  EXPECT_EQ(parse_output_format("tif"), OutputFormat::tiff);
}

TEST(ImageFormat, EveryOutputFormatRoundTripsAndHasAType) {
  for (auto f : {OutputFormat::jpeg, OutputFormat::png, OutputFormat::webp, OutputFormat::avif,
                 OutputFormat::gif, OutputFormat::tiff, OutputFormat::bmp}) {
    EXPECT_EQ(parse_output_format(to_string(f)), f);
    EXPECT_TRUE(mime_type(f).starts_with("image/")) << to_string(f);
    EXPECT_NE(extension(f), "bin") << to_string(f);
  }
  EXPECT_EQ(parse_output_format("original"), OutputFormat::original);
  EXPECT_EQ(extension(OutputFormat::original), "bin");
}

TEST(ImageFormat, InputTypesForDownloads) {
  EXPECT_EQ(mime_type(InputFormat::heic), "image/heic");
  EXPECT_EQ(mime_type(InputFormat::jpeg), "image/jpeg");
  EXPECT_EQ(mime_type(InputFormat::tiff), "image/tiff");
  EXPECT_EQ(mime_type(InputFormat::bmp), "image/bmp");
}

}  // namespace
}  // namespace imagesprint
