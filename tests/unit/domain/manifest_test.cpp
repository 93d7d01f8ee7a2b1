#include "domain/manifest.hpp"

#include <gtest/gtest.h>

namespace imagesprint {
namespace {

TEST(Manifest, ListsEveryImageInUploadOrder) {
  Job job;
  job.id = "j1";
  job.name = "holiday";
  job.status = JobStatus::partial;
  job.created_at = 1'764'057'600'123;  // 2025-11-25T08:00:00.123Z
  job.finished_at = job.created_at + 5000;
  ImageRecord ok;
  ok.index = 0;
  ok.source_name = "사진.jpg";
  ok.output_name = "사진.webp";
  ok.status = ImageStatus::done;
  ok.width = 1280;
  ok.height = 720;
  ok.bytes_out = 1234;
  ok.format = "webp";
  ok.quality_used = 80;
  ok.blurhash = "LEHV6nWB2yk8pyo0adR*.7kCMdnj";
  ImageRecord bad;
  bad.index = 1;
  bad.source_name = "broken.jpg";
  bad.status = ImageStatus::failed;
  bad.error_code = "corrupt_image";
  bad.error_message = "the image data is damaged or truncated";

  const auto m = job_manifest(job, {ok, bad});
  EXPECT_EQ(m["job"]["id"], "j1");
  EXPECT_EQ(m["job"]["status"], "partial");
  EXPECT_EQ(m["job"]["created_at"], "2025-11-25T08:00:00.123Z");
  EXPECT_EQ(m["job"]["finished_at"], "2025-11-25T08:00:05.123Z");
  ASSERT_EQ(m["images"].size(), 2u);
  EXPECT_EQ(m["images"][0]["output_name"], "사진.webp");
  EXPECT_EQ(m["images"][0]["output"]["quality_used"], 80);
  EXPECT_EQ(m["images"][0]["output"]["blurhash"], ok.blurhash);
  EXPECT_TRUE(m["images"][0]["error"].is_null());
  EXPECT_EQ(m["images"][1]["status"], "failed");
  EXPECT_TRUE(m["images"][1]["output"].is_null());
  EXPECT_TRUE(m["images"][1]["output_name"].is_null());
  EXPECT_EQ(m["images"][1]["error"]["code"], "corrupt_image");
  // It parses back: valid UTF-8 JSON.
  EXPECT_EQ(nlohmann::json::parse(m.dump()), m);
}

TEST(Manifest, SaysHowManyPagesTheInputHadAndWhichWasUsed) {
  Job job;
  job.id = "j2";
  ImageRecord tiff;
  tiff.index = 0;
  tiff.status = ImageStatus::done;
  tiff.input_width = 1728;
  tiff.input_height = 2200;
  ImageRecord gif = tiff;
  gif.index = 1;
  ImageRecord old = tiff;
  old.index = 2;

  const auto m = job_manifest(job, {tiff, gif, old},
                              {InputPages{2, 0}, InputPages{12, std::nullopt}, std::nullopt});
  const auto& images = m["images"];
  // A document: its first of two pages was converted.
  EXPECT_EQ(images[0]["input"]["pages"], 2);
  EXPECT_EQ(images[0]["input"]["page"], 0);
  EXPECT_EQ(images[0]["input"]["width"], 1728);
  // An animation whose every frame was kept: no single page.
  EXPECT_EQ(images[1]["input"]["pages"], 12);
  EXPECT_TRUE(images[1]["input"]["page"].is_null());
  // Nothing known: nothing said.
  EXPECT_FALSE(images[2]["input"].contains("pages"));
  EXPECT_FALSE(images[2]["input"].contains("page"));
  EXPECT_EQ(image_entry(tiff, InputPages{4, 3})["input"]["page"], 3);
  EXPECT_FALSE(image_entry(tiff)["input"].contains("pages"));
}

}  // namespace
}  // namespace imagesprint
