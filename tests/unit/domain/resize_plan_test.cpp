#include "domain/resize_plan.hpp"

#include <gtest/gtest.h>

namespace imagesprint {
namespace {

ConversionOptions box(std::optional<int> w, std::optional<int> h, Fit fit, bool enlarge = false) {
  ConversionOptions o;
  o.width = w;
  o.height = h;
  o.fit = fit;
  o.enlarge = enlarge;
  return o;
}

void expect_plan(const ResizePlan& p, int rw, int rh, int ow, int oh) {
  EXPECT_EQ(p.resize_width, rw);
  EXPECT_EQ(p.resize_height, rh);
  EXPECT_EQ(p.out_width, ow);
  EXPECT_EQ(p.out_height, oh);
}

TEST(ResizePlan, NoSizeKeepsTheInput) {
  expect_plan(plan_resize(2725, 2225, {}), 2725, 2225, 2725, 2225);
}

TEST(ResizePlan, OneSideFollowsTheRatio) {
  expect_plan(plan_resize(2000, 1000, box(500, {}, Fit::fill)), 500, 250, 500, 250);
  expect_plan(plan_resize(2000, 1000, box({}, 250, Fit::cover)), 500, 250, 500, 250);
  expect_plan(plan_resize(2725, 2225, box(720, {}, Fit::contain)), 720, 588, 720, 588);
}

TEST(ResizePlan, ContainAndInsideFitInTheBox) {
  for (Fit fit : {Fit::contain, Fit::inside}) {
    expect_plan(plan_resize(2000, 1000, box(800, 800, fit)), 800, 400, 800, 400);
    expect_plan(plan_resize(1000, 2000, box(800, 800, fit)), 400, 800, 400, 800);
  }
}

TEST(ResizePlan, OutsideCoversTheBoxWithoutCropping) {
  expect_plan(plan_resize(2000, 1000, box(800, 800, Fit::outside)), 1600, 800, 1600, 800);
}

TEST(ResizePlan, FillIgnoresTheRatio) {
  expect_plan(plan_resize(2000, 1000, box(300, 700, Fit::fill)), 300, 700, 300, 700);
}

TEST(ResizePlan, CoverCropsToTheExactBox) {
  expect_plan(plan_resize(2000, 1000, box(800, 800, Fit::cover)), 1600, 800, 800, 800);
  expect_plan(plan_resize(1000, 2000, box(600, 300, Fit::cover)), 600, 1200, 600, 300);
}

TEST(ResizePlan, NoEnlargementUnlessAsked) {
  expect_plan(plan_resize(400, 300, box(800, {}, Fit::contain)), 400, 300, 400, 300);
  expect_plan(plan_resize(400, 300, box(800, 800, Fit::fill)), 400, 300, 400, 300);
  expect_plan(plan_resize(400, 300, box(800, 600, Fit::fill, true)), 800, 600, 800, 600);
  expect_plan(plan_resize(400, 300, box(800, {}, Fit::contain, true)), 800, 600, 800, 600);
  // Cover without enlargement crops what there is to the box.
  expect_plan(plan_resize(400, 300, box(350, 350, Fit::cover)), 400, 300, 350, 300);
}

TEST(ResizePlan, NamesTheSideWhoseSizeSetTheScale) {
  EXPECT_EQ(plan_resize(2725, 2225, box(720, {}, Fit::contain)).scaled_by, ScaledBy::width);
  EXPECT_EQ(plan_resize(2725, 2225, box({}, 588, Fit::fill)).scaled_by, ScaledBy::height);
  // 720/2725 < 588/2225: the width decides what fits inside.
  EXPECT_EQ(plan_resize(2725, 2225, box(720, 588, Fit::inside)).scaled_by, ScaledBy::width);
  EXPECT_EQ(plan_resize(1000, 2000, box(800, 800, Fit::contain)).scaled_by, ScaledBy::height);
  // Covering takes the larger factor: the height's for a wide image.
  EXPECT_EQ(plan_resize(2000, 1000, box(800, 800, Fit::cover)).scaled_by, ScaledBy::height);
  EXPECT_EQ(plan_resize(2000, 1000, box(800, 800, Fit::outside)).scaled_by, ScaledBy::height);
  // Nothing to keep: each side has its own size, or nothing is scaled.
  EXPECT_EQ(plan_resize(2000, 1000, box(300, 700, Fit::fill)).scaled_by, ScaledBy::none);
  EXPECT_EQ(plan_resize(400, 300, box(800, {}, Fit::contain)).scaled_by, ScaledBy::none);
  EXPECT_EQ(plan_resize(400, 300, {}).scaled_by, ScaledBy::none);
}

TEST(ResizePlan, NeverZero) {
  expect_plan(plan_resize(10000, 10, box(100, {}, Fit::contain)), 100, 1, 100, 1);
}

}  // namespace
}  // namespace imagesprint
