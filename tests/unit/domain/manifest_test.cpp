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

}  // namespace
}  // namespace imagesprint
