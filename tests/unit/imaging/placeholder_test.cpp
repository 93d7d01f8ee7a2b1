// The output's BlurHash placeholder: made by the conversion from its pixels when they are small
// enough to hold (imaging/placeholder.hpp), otherwise from a decode of the encoded file.
#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include <vips/vips8>

#include "imaging/engine.hpp"
#include "support/convert.hpp"
#include "support/corpus.hpp"

namespace imagesprint {
namespace {

Expected<ConversionResult> convert_with_placeholder(const std::vector<std::uint8_t>& bytes,
                                                    const nlohmann::json& options) {
  const ConversionOptions parsed = test::options(options);
  return convert(ConversionInput{bytes, {}, true}, parsed);
}

/// The BlurHash's average colour (its DC component: characters 2-5, base 83) as 0xRRGGBB.
int average_colour(std::string_view hash) {
  constexpr std::string_view DIGITS =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";
  int value = 0;
  for (const char c : hash.substr(2, 4)) value = value * 83 + static_cast<int>(DIGITS.find(c));
  return value;
}

TEST(Placeholder, IsMadeOnlyWhenAskedFor) {
  const auto photo = test::read_bytes(test::corpus("photos/flickr-2569067123-2725x2225.jpg"));
  auto plain = test::convert_bytes(photo, {{"width", 320}, {"format", "webp"}});
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_TRUE(plain->placeholder.empty());
  auto asked = convert_with_placeholder(photo, {{"width", 320}, {"format", "webp"}});
  ASSERT_TRUE(asked.ok()) << asked.error().message;
  EXPECT_EQ(asked->placeholder.size(), 28u);  // 4x3 components
  EXPECT_EQ(asked->bytes, plain->bytes);      // holding the pixels changes nothing in the file
}

TEST(Placeholder, FromTheOutputsPixelsIsTheSameAsFromItsLosslessFile) {
  const auto photo = test::read_bytes(test::corpus("photos/flickr-2569067123-2725x2225.jpg"));
  auto png = convert_with_placeholder(photo, {{"width", 320}, {"format", "png"}});
  ASSERT_TRUE(png.ok()) << png.error().message;
  auto from_file = placeholder_hash(png->bytes);
  ASSERT_TRUE(from_file.ok()) << from_file.error().message;
  EXPECT_EQ(png->placeholder, *from_file);

  // The same under max_bytes, where the output is searched for and scaled down.
  auto fitted = convert_with_placeholder(
      photo, {{"width", 320}, {"format", "png"}, {"max_bytes", png->bytes.size() / 2}});
  ASSERT_TRUE(fitted.ok()) << fitted.error().message;
  ASSERT_LT(fitted->width, 320);
  auto fitted_file = placeholder_hash(fitted->bytes);
  ASSERT_TRUE(fitted_file.ok()) << fitted_file.error().message;
  EXPECT_EQ(fitted->placeholder, *fitted_file);
}

TEST(Placeholder, OfALargeOutputComesFromItsFileAndHoldsNoPixels) {
  const auto photo = test::read_bytes(test::corpus("photos/flickr-2569067123-2725x2225.jpg"));
  // 2725x2225 x 4 bytes is more than imaging/placeholder.hpp's 16 MiB; 320x261 is not.
  const nlohmann::json large = {{"format", "jpeg"}};
  const nlohmann::json small = {{"width", 320}, {"format", "jpeg"}};
  auto large_asked = convert_with_placeholder(photo, large);
  auto large_plain = test::convert_bytes(photo, large);
  auto small_asked = convert_with_placeholder(photo, small);
  auto small_plain = test::convert_bytes(photo, small);
  ASSERT_TRUE(large_asked.ok() && large_plain.ok() && small_asked.ok() && small_plain.ok());

  auto from_file = placeholder_hash(large_asked->bytes);
  ASSERT_TRUE(from_file.ok()) << from_file.error().message;
  EXPECT_EQ(large_asked->placeholder, *from_file);
  // Memory is reserved for the pixels held, and only when they are.
  EXPECT_EQ(large_asked->memory_estimate, large_plain->memory_estimate);
  EXPECT_EQ(small_asked->memory_estimate - small_plain->memory_estimate,
            4ull * small_asked->width * small_asked->height);
}

TEST(Placeholder, OfAFileCoversTheWholeImage) {
  // Black, with its bottom quarter white: a PNG, which its decoder does not shrink. (The file's
  // placeholder once read only the rows a shrinking decoder would have given: the black top.)
  const auto bands = [] { return vips::VImage::option()->set("bands", 3); };
  const vips::VImage white = vips::VImage::black(320, 50, bands()) + 255;
  const vips::VImage image =
      vips::VImage::black(320, 200, bands())
          .insert(white, 0, 150)
          .cast(VIPS_FORMAT_UCHAR)
          .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  void* buffer = nullptr;
  std::size_t size = 0;
  image.write_to_buffer(".png", &buffer, &size);
  const std::vector<std::uint8_t> png(static_cast<std::uint8_t*>(buffer),
                                      static_cast<std::uint8_t*>(buffer) + size);
  g_free(buffer);

  auto hash = placeholder_hash(png);
  ASSERT_TRUE(hash.ok()) << hash.error().message;
  // A quarter of the light, averaged in linear light: sRGB 137 on every channel.
  const int red = average_colour(*hash) >> 16;
  EXPECT_NEAR(red, 137, 6) << *hash;
}

}  // namespace
}  // namespace imagesprint
