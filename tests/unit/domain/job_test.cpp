#include "domain/job.hpp"

#include <gtest/gtest.h>

namespace imagesprint {
namespace {

TEST(Job, FinalStatusFromCounts) {
  EXPECT_EQ(final_status(3, 0, 0), JobStatus::queued);
  EXPECT_EQ(final_status(3, 1, 0), JobStatus::processing);
  EXPECT_EQ(final_status(3, 3, 0), JobStatus::done);
  EXPECT_EQ(final_status(3, 2, 1), JobStatus::partial);
  EXPECT_EQ(final_status(3, 0, 3), JobStatus::failed);
}

TEST(Job, StatusNamesRoundTrip) {
  for (auto s : {JobStatus::uploading, JobStatus::queued, JobStatus::processing, JobStatus::done,
                 JobStatus::partial, JobStatus::failed, JobStatus::canceled, JobStatus::expired}) {
    EXPECT_EQ(parse_job_status(to_string(s)), s);
  }
  for (auto s : {ImageStatus::queued, ImageStatus::processing, ImageStatus::done,
                 ImageStatus::failed, ImageStatus::canceled}) {
    EXPECT_EQ(parse_image_status(to_string(s)), s);
  }
  EXPECT_EQ(parse_job_status("running"), std::nullopt);
  EXPECT_FALSE(is_finished(JobStatus::processing));
  EXPECT_FALSE(is_finished(JobStatus::uploading));
  EXPECT_TRUE(is_finished(JobStatus::partial));
}

}  // namespace
}  // namespace imagesprint
