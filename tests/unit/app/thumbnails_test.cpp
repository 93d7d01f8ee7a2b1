// The job page's thumbnails: rendered by the engine once per image, side and size, then read back.
#include "app/thumbnails.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "adapters/localfs/local_object_store.hpp"
#include "app/object_keys.hpp"
#include "support/corpus.hpp"

namespace imagesprint {
namespace {

class ThumbnailsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { init_engine(); }
  void TearDown() override { std::filesystem::remove_all(root_); }

  void put_input(int index, const std::string& corpus_file) {
    objects_.put(object_keys::input("J", index), test::read_bytes(test::corpus(corpus_file)));
  }

  std::filesystem::path root_ =
      std::filesystem::temp_directory_path() / ("imagesprint-thumbs-" + std::to_string(::getpid()));
  LocalObjectStore objects_{LocalObjectStoreConfig{root_, std::string(32, 'k')}};
};

TEST_F(ThumbnailsTest, RendersAWebpOnTheLongerSideOnceAndReusesIt) {
  put_input(0, "photos/colorfulcups-2560x1600.jpg");
  auto key = ensure_thumbnail(objects_, "J", 0, ThumbnailOf::input, 256);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(*key, "jobs/J/thumbs/in-0-256");
  const auto first = objects_.stat(*key);
  ASSERT_TRUE(first);
  auto decoded = probe(*objects_.get(*key));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->format, InputFormat::webp);
  EXPECT_EQ(decoded->width, 256);
  EXPECT_EQ(decoded->height, 160);

  // The second request reads the stored one; nothing is rendered or written again.
  auto again = ensure_thumbnail(objects_, "J", 0, ThumbnailOf::input, 256);
  ASSERT_TRUE(again);
  EXPECT_EQ(objects_.stat(*again), first);
}

TEST_F(ThumbnailsTest, UprightAndNeverEnlarged) {
  put_input(1, "orientation/Portrait_6.jpg");  // stored sideways, EXIF says turn it
  auto key = ensure_thumbnail(objects_, "J", 1, ThumbnailOf::input, 128);
  ASSERT_TRUE(key) << key.error().message;
  auto decoded = probe(*objects_.get(*key));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(std::max(decoded->width, decoded->height), 128);
  EXPECT_GT(decoded->height, decoded->width);

  put_input(2, "edge/4.webp");
  auto small = probe(test::read_bytes(test::corpus("edge/4.webp")));
  ASSERT_TRUE(small);
  key = ensure_thumbnail(objects_, "J", 2, ThumbnailOf::input, 1024);
  ASSERT_TRUE(key);
  decoded = probe(*objects_.get(*key));
  ASSERT_TRUE(decoded);
  // Smaller than the box: kept at its own size, not blown up.
  ASSERT_LE(std::max(small->width, small->height), 1024);
  EXPECT_EQ(decoded->width, small->width);
  EXPECT_EQ(decoded->height, small->height);
}

TEST_F(ThumbnailsTest, OutputsHaveTheirOwnAndMissingOrBrokenImagesHaveNone) {
  objects_.put(object_keys::output("J", 0),
               test::read_bytes(test::corpus("photos/eveningglow-2560x1600.jpg")));
  auto key = ensure_thumbnail(objects_, "J", 0, ThumbnailOf::output, 512);
  ASSERT_TRUE(key);
  EXPECT_EQ(*key, "jobs/J/thumbs/out-0-512");

  auto missing = ensure_thumbnail(objects_, "J", 7, ThumbnailOf::input, 256);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);

  put_input(3, "edge/truncated.jpg");
  auto broken = ensure_thumbnail(objects_, "J", 3, ThumbnailOf::input, 256);
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().code, ErrorCode::not_found);
  EXPECT_FALSE(objects_.stat("jobs/J/thumbs/in-3-256"));  // nothing half-written

  EXPECT_TRUE(is_thumbnail_size(256));
  EXPECT_FALSE(is_thumbnail_size(300));
}

}  // namespace
}  // namespace imagesprint
