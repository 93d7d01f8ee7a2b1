#include "imaging/blurhash.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

#include "imaging/engine.hpp"
#include "support/convert.hpp"
#include "support/corpus.hpp"
#include "support/images.hpp"

namespace imagesprint {
namespace {

// Expected values come from woltapp's reference C encoder (Debian python3-blurhash wraps it).
TEST(BlurHash, MatchesTheReferenceEncoderOnSolidImages) {
  const std::vector<std::uint8_t> white(8 * 6 * 3, 255);
  EXPECT_EQ(blurhash_encode(white, 8, 6, 3), "LsTSUA_3fQ_3~qt7fQt7fQfQfQfQ");
  const std::vector<std::uint8_t> black(8 * 6 * 4, 0);
  EXPECT_EQ(blurhash_encode(black, 8, 6, 4, 1, 1), "000000");
}

TEST(BlurHash, MatchesTheReferenceEncoderOnAPhoto) {
  namespace fs = std::filesystem;
  auto png = test::convert_file(test::corpus("photos/flickr-2569067123-2725x2225.jpg"),
                                {{"width", 32}, {"format", "png"}});
  ASSERT_TRUE(png.ok());
  const fs::path file =
      fs::temp_directory_path() / ("imagesprint-blurhash-" + std::to_string(::getpid()) + ".png");
  {
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(png->bytes.data()),
              static_cast<std::streamsize>(png->bytes.size()));
  }
  const std::string command =
      "/usr/bin/python3 -c \"import blurhash,sys; print(blurhash.encode(sys.argv[1], 4, 3))\" " +
      file.string();
  std::string reference;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char line[128] = {};
    if (std::fgets(line, sizeof line, pipe)) reference = line;
    ::pclose(pipe);
  }
  fs::remove(file);
  while (!reference.empty() && reference.back() == '\n') reference.pop_back();
  ASSERT_FALSE(reference.empty()) << "the reference encoder did not run (Debian python3-blurhash)";
  const vips::VImage pixels = test::decode_output(png->bytes);
  std::size_t size = 0;
  void* memory = pixels.write_to_memory(&size);
  const std::string ours = blurhash_encode({static_cast<const std::uint8_t*>(memory), size},
                                           pixels.width(), pixels.height(), pixels.bands());
  g_free(memory);
  EXPECT_EQ(ours, reference);
}

TEST(BlurHash, LengthFollowsTheComponents) {
  std::vector<std::uint8_t> gradient(16 * 16 * 3);
  for (std::size_t i = 0; i < gradient.size(); ++i)
    gradient[i] = static_cast<std::uint8_t>(i % 251);
  EXPECT_EQ(blurhash_encode(gradient, 16, 16, 3, 4, 3).size(), 4u + 2 + 2 * (4 * 3 - 1));
  EXPECT_EQ(blurhash_encode(gradient, 16, 16, 3, 9, 9).size(), 4u + 2 + 2 * (9 * 9 - 1));
  EXPECT_THROW(blurhash_encode(gradient, 16, 16, 3, 0, 3), std::invalid_argument);
}

TEST(BlurHash, OfAnEncodedOutput) {
  auto jpeg =
      test::convert_file(test::corpus("photos/flickr-2569067123-2725x2225.jpg"), {{"width", 720}});
  ASSERT_TRUE(jpeg.ok());
  auto hash = placeholder_hash(jpeg->bytes);
  ASSERT_TRUE(hash.ok()) << hash.error().message;
  EXPECT_EQ(hash->size(), 28u);
  auto again = placeholder_hash(jpeg->bytes);
  EXPECT_EQ(*hash, *again);
  const std::string text = "not an image";
  EXPECT_FALSE(
      placeholder_hash({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}).ok());
}

}  // namespace
}  // namespace imagesprint
